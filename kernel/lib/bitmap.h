#pragma once
/// Bitmaps: FixedBitmap<N> (inline storage) and Bitmap (heap storage, fallible), with the
/// searches allocators need: first set/clear bit from an index and a run of clear bits.
#include "kernel/lib/assert.h"
#include "kernel/lib/result.h"
#include "kernel/lib/std.h"
#include "kernel/lib/types.h"

namespace kernel::lib {

namespace bitmap_detail {
// The algorithms, on `bits` bits stored little-endian in 64-bit words (bit i is bit i%64 of
// word i/64). Bits past `bits` in the last word are kept clear.
void SetRange(u64* words, usize first, usize count);
void ClearRange(u64* words, usize first, usize count);
usize CountSet(const u64* words, usize bits);
// First bit in [from, limit) that is set (want_set) or clear; `limit` when there is none.
usize Find(const u64* words, usize from, usize limit, bool want_set);
optional<usize> FindClearRun(const u64* words, usize bits, usize count, usize from, usize align);
}  // namespace bitmap_detail

/// The operations shared by FixedBitmap and Bitmap; `Derived` provides words() and size().
/// Indices at or past size() are kernel bugs and panic.
template <typename Derived>
class BitmapOps {
 public:
  bool Test(usize i) const {
    Check(i, 1);
    return (words()[i / 64] >> (i % 64)) & 1;
  }
  void Set(usize i) {
    Check(i, 1);
    words()[i / 64] |= u64{1} << (i % 64);
  }
  void Clear(usize i) {
    Check(i, 1);
    words()[i / 64] &= ~(u64{1} << (i % 64));
  }
  /// Sets bit `i` and returns its previous value.
  bool TestAndSet(usize i) {
    bool was = Test(i);
    Set(i);
    return was;
  }
  /// Sets / clears bits [first, first + count).
  void SetRange(usize first, usize count) {
    Check(first, count);
    bitmap_detail::SetRange(words(), first, count);
  }
  void ClearRange(usize first, usize count) {
    Check(first, count);
    bitmap_detail::ClearRange(words(), first, count);
  }
  void SetAll() { SetRange(0, size()); }
  void ClearAll() { ClearRange(0, size()); }

  /// Number of set bits.
  usize CountSet() const { return bitmap_detail::CountSet(words(), size()); }
  /// Lowest set / clear bit at or after `from` (nullopt when none; `from` may be size()).
  optional<usize> FindFirstSet(usize from = 0) const { return Find(from, true); }
  optional<usize> FindFirstClear(usize from = 0) const { return Find(from, false); }
  /// Lowest index i >= from, a multiple of `align` (any non-zero value), such that bits
  /// [i, i + count) are all clear and inside the bitmap; nullopt when there is none or when
  /// count is 0.
  optional<usize> FindClearRun(usize count, usize from = 0, usize align = 1) const {
    ARAMID_ASSERT(align != 0, "FindClearRun with align 0");
    return bitmap_detail::FindClearRun(words(), size(), count, from, align);
  }

 private:
  usize size() const { return static_cast<const Derived*>(this)->size(); }
  u64* words() { return static_cast<Derived*>(this)->words(); }
  const u64* words() const { return static_cast<const Derived*>(this)->words(); }
  void Check(usize first, usize count) const {
    usize end;
    ARAMID_ASSERT(!AddOverflows(first, count, &end) && end <= size(),
                  "bits [%zu, +%zu) outside a bitmap of %zu", first, count, size());
  }
  optional<usize> Find(usize from, bool want_set) const {
    if (from >= size()) return nullopt;
    usize i = bitmap_detail::Find(words(), from, size(), want_set);
    if (i == size()) return nullopt;
    return i;
  }
};

/// A bitmap of N bits stored inline, all clear initially. Nothing allocates.
template <usize N>
class FixedBitmap : public BitmapOps<FixedBitmap<N>> {
 public:
  constexpr FixedBitmap() = default;
  static constexpr usize size() { return N; }
  u64* words() { return words_; }
  const u64* words() const { return words_; }

 private:
  u64 words_[N == 0 ? 1 : (N + 63) / 64] = {};
};

/// A bitmap whose storage is on the heap: made with TryCreate, resized with TryResize, each
/// returning ENOMEM (and leaving the bitmap as it was) when the heap is exhausted.
class Bitmap : public BitmapOps<Bitmap> {
 public:
  Bitmap() = default;
  Bitmap(const Bitmap&) = delete;
  Bitmap& operator=(const Bitmap&) = delete;
  Bitmap(Bitmap&& other) noexcept
      : words_(exchange(other.words_, nullptr)), bits_(exchange(other.bits_, 0)) {}
  Bitmap& operator=(Bitmap&& other) noexcept;
  ~Bitmap();

  /// A bitmap of `bits` clear bits.
  static Result<Bitmap> TryCreate(usize bits);
  /// Grows (new bits clear) or shrinks to `bits`, keeping the bits that remain.
  Result<void> TryResize(usize bits);

  usize size() const { return bits_; }
  u64* words() { return words_; }
  const u64* words() const { return words_; }

 private:
  u64* words_ = nullptr;
  usize bits_ = 0;
};

}  // namespace kernel::lib
