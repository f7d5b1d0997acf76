#include "kernel/lib/bitmap.h"

#include "kernel/lib/alloc.h"

namespace kernel::lib {
namespace bitmap_detail {
namespace {

// Bits [lo, hi) of a word, lo < hi <= 64.
constexpr u64 Mask(usize lo, usize hi) {
  u64 upper = hi == 64 ? ~u64{0} : (u64{1} << hi) - 1;
  return upper & ~((u64{1} << lo) - 1);
}

template <bool kSet>
void Apply(u64* words, usize first, usize count) {
  usize end = first + count;
  while (first < end) {
    usize w = first / 64;
    usize lo = first % 64;
    usize hi = min<usize>(64, lo + (end - first));
    if constexpr (kSet) {
      words[w] |= Mask(lo, hi);
    } else {
      words[w] &= ~Mask(lo, hi);
    }
    first += hi - lo;
  }
}

}  // namespace

void SetRange(u64* words, usize first, usize count) { Apply<true>(words, first, count); }
void ClearRange(u64* words, usize first, usize count) { Apply<false>(words, first, count); }

usize CountSet(const u64* words, usize bits) {
  usize n = 0;
  for (usize w = 0; w < bits / 64; ++w) n += static_cast<usize>(popcount(words[w]));
  if (bits % 64 != 0) n += static_cast<usize>(popcount(words[bits / 64] & Mask(0, bits % 64)));
  return n;
}

usize Find(const u64* words, usize from, usize limit, bool want_set) {
  while (from < limit) {
    usize w = from / 64;
    // Flip the word when looking for a clear bit, so the search is always for a one.
    u64 word = want_set ? words[w] : ~words[w];
    word &= ~((u64{1} << (from % 64)) - 1);
    if (word != 0) {
      usize i = w * 64 + static_cast<usize>(countr_zero(word));
      return i < limit ? i : limit;
    }
    from = (w + 1) * 64;
  }
  return limit;
}

optional<usize> FindClearRun(const u64* words, usize bits, usize count, usize from, usize align) {
  if (count == 0 || count > bits) return nullopt;
  usize i = from;
  for (;;) {
    // Round up to the alignment, then skip to the next clear bit, until both hold.
    usize rem = i % align;
    if (rem != 0 && AddOverflows(i, align - rem, &i)) return nullopt;
    if (i > bits - count) return nullopt;
    usize clear = Find(words, i, bits, false);
    if (clear != i) {
      i = clear;
      continue;
    }
    usize set = Find(words, i, i + count, true);
    if (set == i + count) return i;
    i = set + 1;
  }
}

}  // namespace bitmap_detail

Bitmap& Bitmap::operator=(Bitmap&& other) noexcept {
  if (this != &other) {
    Free(words_);
    words_ = exchange(other.words_, nullptr);
    bits_ = exchange(other.bits_, 0);
  }
  return *this;
}

Bitmap::~Bitmap() { Free(words_); }

Result<Bitmap> Bitmap::TryCreate(usize bits) {
  Bitmap b;
  TRY(b.TryResize(bits));
  return b;
}

Result<void> Bitmap::TryResize(usize bits) {
  usize old_words = (bits_ + 63) / 64;
  usize new_words = bits / 64 + (bits % 64 != 0);
  if (new_words != old_words) {
    u64* fresh = nullptr;
    if (new_words != 0) {
      usize bytes;
      if (MulOverflows(new_words, sizeof(u64), &bytes)) return Errno::kENOMEM;
      fresh = static_cast<u64*>(Allocate(bytes, alignof(u64)));
      if (fresh == nullptr) return Errno::kENOMEM;
      usize keep = min(old_words, new_words);
      for (usize w = 0; w < new_words; ++w) fresh[w] = w < keep ? words_[w] : 0;
    }
    Free(words_);
    words_ = fresh;
  }
  // Keep the bits past the end clear, so growing later exposes clear bits.
  if (bits % 64 != 0) words_[bits / 64] &= (u64{1} << (bits % 64)) - 1;
  bits_ = bits;
  return Ok();
}

}  // namespace kernel::lib
