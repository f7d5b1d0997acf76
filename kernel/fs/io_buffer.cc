#include "kernel/fs/io_buffer.h"

#include "kernel/mm/user_ptr.h"

namespace kernel::fs {

// Calls fn(user_address_or_kernel_pointer_as_u64, done_so_far, length) for each contiguous
// piece of [offset, offset+n).
template <typename Fn>
Result<void> IoBuffer::ForEachPiece(usize offset, usize n, Fn fn) const {
  if (offset > size_ || n > size_ - offset) return Errno::kEFAULT;
  if (kind_ != Kind::kUserVector) return fn(reinterpret_cast<u64>(ptr_) + offset, usize{0}, n);
  usize done = 0;
  for (usize i = 0; i < count_ && done < n; ++i) {
    const IoSegment& s = segs_[i];
    if (offset >= s.len) {
      offset -= s.len;
      continue;
    }
    usize len = s.len - offset;
    if (len > n - done) len = n - done;
    TRY(fn(s.base + offset, done, len));
    done += len;
    offset = 0;
  }
  return Ok();
}

Result<void> IoBuffer::Read(usize offset, void* dst, usize n) const {
  auto* out = static_cast<u8*>(dst);
  bool user = is_user();
  return ForEachPiece(offset, n, [&](u64 addr, usize done, usize len) -> Result<void> {
    if (user) return mm::CopyFromUser(out + done, addr, len);
    __builtin_memcpy(out + done, reinterpret_cast<const void*>(addr), len);
    return Ok();
  });
}

Result<void> IoBuffer::Write(usize offset, const void* src, usize n) const {
  const auto* in = static_cast<const u8*>(src);
  bool user = is_user();
  return ForEachPiece(offset, n, [&](u64 addr, usize done, usize len) -> Result<void> {
    if (user) return mm::CopyToUser(addr, in + done, len);
    __builtin_memcpy(reinterpret_cast<void*>(addr), in + done, len);
    return Ok();
  });
}

Result<void> IoBuffer::Zero(usize offset, usize n) const {
  bool user = is_user();
  return ForEachPiece(offset, n, [&](u64 addr, usize, usize len) -> Result<void> {
    if (user) return mm::ClearUser(addr, len);
    __builtin_memset(reinterpret_cast<void*>(addr), 0, len);
    return Ok();
  });
}

}  // namespace kernel::fs
