#pragma once
/// IoBuffer: the memory a read or write moves bytes to or from, either kernel memory or user
/// memory (one range, or an iovec list for readv/writev). File implementations see one type
/// and never a raw user pointer, so the same code serves read(2), execve's header reads and
/// kernel-internal users (initramfs, tests); a bad user address is EFAULT from the copy.
#include "kernel/lib/result.h"
#include "kernel/lib/types.h"

namespace kernel::fs {

/// One user range of an iovec list (struct iovec).
struct IoSegment {
  u64 base;
  usize len;
};
static_assert(sizeof(IoSegment) == 16);
/// UIO_MAXIOV: the most segments readv/writev take [man 2 readv].
inline constexpr usize kIovMax = 1024;
/// MAX_RW_COUNT: the most bytes one read/write moves (INT_MAX rounded down to a page).
inline constexpr usize kMaxRwCount = 0x7ffff000;

class IoBuffer {
 public:
  /// Kernel memory that a read fills.
  static IoBuffer Kernel(void* p, usize n) { return IoBuffer(Kind::kKernel, p, n, nullptr, 0); }
  /// Kernel memory that a write drains (it is never written).
  static IoBuffer KernelConst(const void* p, usize n) {
    return IoBuffer(Kind::kKernel, const_cast<void*>(p), n, nullptr, 0);
  }
  /// One range of the active user address space.
  static IoBuffer User(u64 addr, usize n) {
    return IoBuffer(Kind::kUser, reinterpret_cast<void*>(addr), n, nullptr, 0);
  }
  /// A list of user ranges; `total` is the sum of their lengths (the caller checked it).
  static IoBuffer UserVector(const IoSegment* segs, usize count, usize total) {
    return IoBuffer(Kind::kUserVector, nullptr, total, segs, count);
  }

  usize size() const { return size_; }
  bool is_user() const { return kind_ != Kind::kKernel; }

  /// Copies n bytes at `offset` within the buffer into kernel memory `dst` (a write's source).
  Result<void> Read(usize offset, void* dst, usize n) const;
  /// Copies n bytes from kernel memory `src` into the buffer at `offset` (a read's target).
  Result<void> Write(usize offset, const void* src, usize n) const;
  /// Zeroes n bytes of the buffer at `offset` (holes, /dev/zero).
  Result<void> Zero(usize offset, usize n) const;

  /// The first `n` bytes as a buffer of its own (n <= size()).
  IoBuffer Prefix(usize n) const {
    IoBuffer b = *this;
    b.size_ = n < size_ ? n : size_;
    return b;
  }

 private:
  enum class Kind : u8 { kKernel, kUser, kUserVector };
  IoBuffer(Kind kind, void* p, usize n, const IoSegment* segs, usize count)
      : kind_(kind), ptr_(p), size_(n), segs_(segs), count_(count) {}

  template <typename Fn>
  Result<void> ForEachPiece(usize offset, usize n, Fn fn) const;

  Kind kind_;
  void* ptr_;
  usize size_;
  const IoSegment* segs_;
  usize count_;
};

}  // namespace kernel::fs
