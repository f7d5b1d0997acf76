#pragma once
/// DEFLATE [RFC 1951] and gzip [RFC 1952] decompression for the initramfs. The whole input is
/// in memory; the output is streamed to a sink in chunks of up to 32 KiB (the window), so an
/// archive of any size unpacks in constant memory.
#include "kernel/lib/result.h"
#include "kernel/lib/std.h"
#include "kernel/lib/types.h"

namespace kernel::lib {

/// Receives decompressed bytes in order. An error stops the decompression and is returned.
using InflateSink = Result<void> (*)(void* ctx, const u8* data, usize n);

/// Decodes one raw DEFLATE stream from the start of `in`. Returns the input bytes consumed
/// (up to the byte holding the end of the final block). EINVAL for corrupt or truncated
/// data, with a static description in *error; ENOMEM when the window cannot be allocated.
Result<usize> Inflate(span<const u8> in, InflateSink sink, void* ctx, const char** error);

/// Decodes one gzip member from the start of `in`: the header, the DEFLATE data, then the
/// CRC-32 and length trailer, which must match. Returns the member's length, so concatenated
/// members (or other data) can follow.
Result<usize> Gunzip(span<const u8> in, InflateSink sink, void* ctx, const char** error);

/// Whether `in` starts with the gzip magic.
inline bool IsGzip(span<const u8> in) { return in.size() >= 2 && in[0] == 0x1f && in[1] == 0x8b; }

/// CRC-32 (IEEE 802.3, as gzip and zlib use), continuing from `crc` (start with 0).
u32 Crc32(u32 crc, const u8* data, usize n);

}  // namespace kernel::lib
