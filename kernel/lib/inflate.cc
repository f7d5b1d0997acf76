// A DEFLATE decoder in the manner of zlib's puff.c (canonical Huffman decoding by code
// length counts), with a 9-bit lookup table in front of it for the common short codes.
#include "kernel/lib/inflate.h"

#include "kernel/lib/alloc.h"

namespace kernel::lib {
namespace {

constexpr usize kWindowSize = 32768;
constexpr int kMaxBits = 15;
constexpr int kFastBits = 9;

constexpr u16 kLengthBase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr u8 kLengthExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr u16 kDistBase[30] = {1,    2,    3,    4,    5,    7,    9,    13,    17,    25,
                               33,   49,   65,   97,   129,  193,  257,  385,   513,   769,
                               1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr u8 kDistExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                               6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
constexpr u8 kCodeLengthOrder[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                     11, 4,  12, 3, 13, 2, 14, 1, 15};

struct Huffman {
  u16 count[kMaxBits + 1];  // codes of each length
  u16 symbol[288];          // symbols ordered by code
  // fast[reversed low kFastBits bits] = symbol | length << 9 (length 0: use the slow path)
  u16 fast[1 << kFastBits];
};

class Decoder {
 public:
  Decoder(span<const u8> in, InflateSink sink, void* ctx, u8* window)
      : in_(in), sink_(sink), ctx_(ctx), window_(window) {}

  Result<usize> Run() {
    bool last = false;
    while (!last) {
      last = TRY(Bits(1)) != 0;
      u32 type = TRY(Bits(2));
      if (type == 0) {
        TRY(Stored());
      } else if (type == 1) {
        TRY(Fixed());
      } else if (type == 2) {
        TRY(Dynamic());
      } else {
        return Fail("invalid block type");
      }
    }
    TRY(Flush());
    // Whole bytes the decoder read ahead into the bit buffer were not consumed.
    return pos_ - static_cast<usize>(bitcnt_ / 8);
  }

  const char* error() const { return error_; }
  u64 total_out() const { return total_; }

 private:
  Errno Fail(const char* what) {
    error_ = what;
    return Errno::kEINVAL;
  }

  Result<u32> Bits(int n) {
    while (bitcnt_ < n) {
      if (pos_ >= in_.size()) return Fail("unexpected end of compressed data");
      bitbuf_ |= static_cast<u32>(in_[pos_++]) << bitcnt_;
      bitcnt_ += 8;
    }
    u32 v = bitbuf_ & ((1u << n) - 1);
    bitbuf_ >>= n;
    bitcnt_ -= n;
    return v;
  }

  Result<void> Put(u8 b) {
    window_[total_ % kWindowSize] = b;
    ++total_;
    if (total_ % kWindowSize == 0) return Flush();
    return Ok();
  }

  Result<void> Flush() {
    usize start = flushed_ % kWindowSize;
    usize n = static_cast<usize>(total_ - flushed_);
    flushed_ = total_;
    if (n == 0) return Ok();
    return sink_(ctx_, window_ + start, n);
  }

  Result<void> Stored() {
    // The rest of the current byte is padding; whole bytes read ahead go back to the input.
    pos_ -= static_cast<usize>(bitcnt_ / 8);
    bitbuf_ = 0;
    bitcnt_ = 0;
    if (in_.size() - pos_ < 4) return Fail("truncated stored block");
    u32 len = in_[pos_] | (in_[pos_ + 1] << 8);
    u32 nlen = in_[pos_ + 2] | (in_[pos_ + 3] << 8);
    pos_ += 4;
    if (len != (~nlen & 0xffff)) return Fail("stored block length mismatch");
    if (in_.size() - pos_ < len) return Fail("truncated stored block");
    for (u32 i = 0; i < len; ++i) TRY(Put(in_[pos_ + i]));
    pos_ += len;
    return Ok();
  }

  // Builds the decoding tables from code lengths; returns false when over-subscribed or
  // (unless `allow_incomplete`) incomplete.
  static bool Build(Huffman& h, const u8* lengths, int n, bool allow_incomplete) {
    for (int len = 0; len <= kMaxBits; ++len) h.count[len] = 0;
    for (int s = 0; s < n; ++s) ++h.count[lengths[s]];
    if (h.count[0] == n) {
      for (u16& f : h.fast) f = 0;
      return allow_incomplete;  // no codes at all
    }
    int left = 1;
    for (int len = 1; len <= kMaxBits; ++len) {
      left <<= 1;
      left -= h.count[len];
      if (left < 0) return false;
    }
    u16 offs[kMaxBits + 1];
    offs[1] = 0;
    for (int len = 1; len < kMaxBits; ++len) offs[len + 1] = offs[len] + h.count[len];
    for (int s = 0; s < n; ++s) {
      if (lengths[s] != 0) h.symbol[offs[lengths[s]]++] = static_cast<u16>(s);
    }
    // The fast table: walk the canonical codes of length <= kFastBits in order.
    for (u16& f : h.fast) f = 0;
    u32 code = 0;
    int index = 0;
    for (int len = 1; len <= kFastBits; ++len) {
      for (int i = 0; i < h.count[len]; ++i, ++code, ++index) {
        // Deflate sends codes most-significant bit first; the bit buffer holds them
        // reversed, so index the table by the reversed code.
        u32 rev = 0;
        for (int b = 0; b < len; ++b) rev |= ((code >> b) & 1) << (len - 1 - b);
        u16 entry = static_cast<u16>(h.symbol[index] | (len << 9));
        for (u32 fill = rev; fill < (1u << kFastBits); fill += 1u << len) h.fast[fill] = entry;
      }
      code <<= 1;
    }
    return left == 0 || allow_incomplete;
  }

  Result<int> Decode(const Huffman& h) {
    // Fast path: enough bits buffered (or available) for a table lookup.
    while (bitcnt_ < kFastBits && pos_ < in_.size()) {
      bitbuf_ |= static_cast<u32>(in_[pos_++]) << bitcnt_;
      bitcnt_ += 8;
    }
    if (bitcnt_ >= kFastBits) {
      u16 e = h.fast[bitbuf_ & ((1u << kFastBits) - 1)];
      int len = e >> 9;
      if (len != 0) {
        bitbuf_ >>= len;
        bitcnt_ -= len;
        return e & 0x1ff;
      }
    }
    // Slow path: one bit at a time through the canonical code ranges.
    int code = 0, first = 0, index = 0;
    for (int len = 1; len <= kMaxBits; ++len) {
      code |= static_cast<int>(TRY(Bits(1)));
      int count = h.count[len];
      if (code - count < first) return h.symbol[index + (code - first)];
      index += count;
      first += count;
      first <<= 1;
      code <<= 1;
    }
    return Fail("invalid Huffman code");
  }

  Result<void> Codes(const Huffman& lit, const Huffman& dist) {
    for (;;) {
      int sym = TRY(Decode(lit));
      if (sym < 256) {
        TRY(Put(static_cast<u8>(sym)));
        continue;
      }
      if (sym == 256) return Ok();
      sym -= 257;
      if (sym >= 29) return Fail("invalid length code");
      u32 len = kLengthBase[sym] + TRY(Bits(kLengthExtra[sym]));
      int dsym = TRY(Decode(dist));
      if (dsym >= 30) return Fail("invalid distance code");
      u32 d = kDistBase[dsym] + TRY(Bits(kDistExtra[dsym]));
      if (d > total_ || d > kWindowSize) return Fail("distance too far back");
      for (u32 i = 0; i < len; ++i) TRY(Put(window_[(total_ - d) % kWindowSize]));
    }
  }

  Result<void> Fixed() {
    if (!fixed_built_) {
      u8 lengths[288 + 30];
      int s = 0;
      for (; s < 144; ++s) lengths[s] = 8;
      for (; s < 256; ++s) lengths[s] = 9;
      for (; s < 280; ++s) lengths[s] = 7;
      for (; s < 288; ++s) lengths[s] = 8;
      Build(lit_, lengths, 288, true);
      for (s = 0; s < 30; ++s) lengths[s] = 5;
      Build(dist_, lengths, 30, true);
      fixed_built_ = true;
    }
    return Codes(lit_, dist_);
  }

  Result<void> Dynamic() {
    fixed_built_ = false;  // the tables are about to be replaced
    int nlen = static_cast<int>(TRY(Bits(5))) + 257;
    int ndist = static_cast<int>(TRY(Bits(5))) + 1;
    int ncode = static_cast<int>(TRY(Bits(4))) + 4;
    if (nlen > 286 || ndist > 30) return Fail("too many length or distance codes");
    u8 lengths[320] = {};
    for (int i = 0; i < ncode; ++i) lengths[kCodeLengthOrder[i]] = static_cast<u8>(TRY(Bits(3)));
    if (!Build(lit_, lengths, 19, false)) return Fail("invalid code-length code");
    int index = 0;
    while (index < nlen + ndist) {
      int sym = TRY(Decode(lit_));
      if (sym < 16) {
        lengths[index++] = static_cast<u8>(sym);
        continue;
      }
      u8 repeat_len = 0;
      int repeat;
      if (sym == 16) {
        if (index == 0) return Fail("repeat with no first length");
        repeat_len = lengths[index - 1];
        repeat = 3 + static_cast<int>(TRY(Bits(2)));
      } else if (sym == 17) {
        repeat = 3 + static_cast<int>(TRY(Bits(3)));
      } else {
        repeat = 11 + static_cast<int>(TRY(Bits(7)));
      }
      if (index + repeat > nlen + ndist) return Fail("too many code lengths");
      while (repeat-- > 0) lengths[index++] = repeat_len;
    }
    if (lengths[256] == 0) return Fail("no end-of-block code");
    // Incomplete literal/length codes are an error, except a lone code (RFC 1951 allows it
    // for distances; zlib accepts a single distance code).
    if (!Build(lit_, lengths, nlen, false) && !(lit_.count[0] + lit_.count[1] == nlen)) {
      return Fail("invalid literal/length code");
    }
    if (!Build(dist_, lengths + nlen, ndist, false) &&
        !(dist_.count[0] + dist_.count[1] == ndist)) {
      return Fail("invalid distance code");
    }
    return Codes(lit_, dist_);
  }

  span<const u8> in_;
  InflateSink sink_;
  void* ctx_;
  u8* window_;
  usize pos_ = 0;
  u32 bitbuf_ = 0;
  int bitcnt_ = 0;
  u64 total_ = 0;
  u64 flushed_ = 0;
  const char* error_ = nullptr;
  bool fixed_built_ = false;
  Huffman lit_;
  Huffman dist_;
};

struct CrcTable {
  u32 t[256];
  constexpr CrcTable() : t() {
    for (u32 n = 0; n < 256; ++n) {
      u32 c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
  }
};
constexpr CrcTable kCrcTable;

struct GzipSink {
  InflateSink sink;
  void* ctx;
  u32 crc;
};

Result<void> CrcThenForward(void* ctx, const u8* data, usize n) {
  auto* g = static_cast<GzipSink*>(ctx);
  g->crc = Crc32(g->crc, data, n);
  return g->sink(g->ctx, data, n);
}

}  // namespace

u32 Crc32(u32 crc, const u8* data, usize n) {
  crc = ~crc;
  for (usize i = 0; i < n; ++i) crc = kCrcTable.t[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

Result<usize> Inflate(span<const u8> in, InflateSink sink, void* ctx, const char** error) {
  u8* window = static_cast<u8*>(Allocate(kWindowSize));
  if (window == nullptr) return Errno::kENOMEM;
  Decoder* d = static_cast<Decoder*>(Allocate(sizeof(Decoder), alignof(Decoder)));
  if (d == nullptr) {
    Free(window);
    return Errno::kENOMEM;
  }
  new (d) Decoder(in, sink, ctx, window);
  Result<usize> r = d->Run();
  if (r.is_error() && error != nullptr) *error = d->error() ? d->error() : "output rejected";
  d->~Decoder();
  Free(d);
  Free(window);
  return r;
}

Result<usize> Gunzip(span<const u8> in, InflateSink sink, void* ctx, const char** error) {
  auto fail = [&](const char* what) -> Errno {
    if (error != nullptr) *error = what;
    return Errno::kEINVAL;
  };
  if (in.size() < 18) return fail("truncated gzip header");
  if (!IsGzip(in)) return fail("not gzip data");
  if (in[2] != 8) return fail("unknown gzip compression method");
  u8 flags = in[3];
  if (flags & 0xe0) return fail("reserved gzip flags set");
  usize pos = 10;
  if (flags & 0x04) {  // FEXTRA
    if (in.size() - pos < 2) return fail("truncated gzip header");
    usize xlen = in[pos] | (in[pos + 1] << 8);
    pos += 2;
    if (in.size() - pos < xlen) return fail("truncated gzip header");
    pos += xlen;
  }
  for (u8 bit : {u8{0x08}, u8{0x10}}) {  // FNAME, FCOMMENT: NUL-terminated
    if (!(flags & bit)) continue;
    while (pos < in.size() && in[pos] != 0) ++pos;
    if (pos >= in.size()) return fail("truncated gzip header");
    ++pos;
  }
  if (flags & 0x02) pos += 2;  // FHCRC
  if (pos >= in.size()) return fail("truncated gzip header");
  GzipSink g{sink, ctx, 0};
  struct Counter {
    GzipSink* g;
    u64 total;
  } counter{&g, 0};
  auto counting = [](void* c, const u8* data, usize n) -> Result<void> {
    auto* k = static_cast<Counter*>(c);
    k->total += n;
    return CrcThenForward(k->g, data, n);
  };
  usize used = TRY(Inflate(in.subspan(pos), counting, &counter, error));
  pos += used;
  if (in.size() - pos < 8) return fail("truncated gzip trailer");
  u32 crc =
      in[pos] | (in[pos + 1] << 8) | (in[pos + 2] << 16) | (static_cast<u32>(in[pos + 3]) << 24);
  u32 isize = in[pos + 4] | (in[pos + 5] << 8) | (in[pos + 6] << 16) |
              (static_cast<u32>(in[pos + 7]) << 24);
  if (crc != g.crc) return fail("gzip CRC mismatch");
  if (isize != static_cast<u32>(counter.total)) return fail("gzip length mismatch");
  return pos + 8;
}

}  // namespace kernel::lib
