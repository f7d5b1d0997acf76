#pragma once
/// User copies done one page at a time through a resolver, for backends that reach user
/// memory by walking the page tables (hostsim always; x86_64 until its exception-fixup path
/// exists). The resolver does the walk and the fault handling; these loops do the Linux
/// semantics [linux lib/usercopy.c, lib/strncpy_from_user.c]: a range that leaves the user
/// half copies nothing, a fault stops the copy at the page where it happened, and
/// CopyFromUser zeroes the part of the kernel buffer it could not fill.
///
/// `resolve(va, write)` returns the kernel address of the byte at user address `va` (valid up
/// to the end of its page), or nullptr when the page cannot be accessed.
#include <hal/mmu.h>

namespace hal::common {

/// Whether [uaddr, uaddr+n) lies inside the user half (Linux's access_ok).
constexpr bool UserRangeOk(u64 uaddr, usize n) {
  return uaddr <= kUserEnd && n <= kUserEnd - uaddr;
}

/// Calls `step(kernel_ptr, offset, len)` for each page-sized piece of the user range; stops
/// when resolve fails or step returns false. Returns the bytes not processed.
template <typename Resolve, typename Step>
usize WalkUserRange(Resolve&& resolve, u64 uaddr, usize n, bool write, Step&& step) {
  usize done = 0;
  while (done < n) {
    u64 va = uaddr + done;
    usize chunk = kernel::kPageSize - (va & (kernel::kPageSize - 1));
    if (chunk > n - done) chunk = n - done;
    u8* p = resolve(va, write);
    if (p == nullptr) break;
    if (!step(p, done, chunk)) break;
    done += chunk;
  }
  return n - done;
}

template <typename Resolve>
usize CopyFromUserWith(Resolve&& resolve, void* dst, u64 src, usize n) {
  auto* out = static_cast<u8*>(dst);
  usize left = n;
  if (UserRangeOk(src, n)) {
    left = WalkUserRange(resolve, src, n, false, [&](u8* p, usize off, usize len) {
      __builtin_memcpy(out + off, p, len);
      return true;
    });
  }
  // As Linux: the kernel buffer never keeps stale bytes where the copy failed.
  __builtin_memset(out + (n - left), 0, left);
  return left;
}

template <typename Resolve>
usize CopyToUserWith(Resolve&& resolve, u64 dst, const void* src, usize n) {
  if (!UserRangeOk(dst, n)) return n;
  const auto* in = static_cast<const u8*>(src);
  return WalkUserRange(resolve, dst, n, true, [&](u8* p, usize off, usize len) {
    __builtin_memcpy(p, in + off, len);
    return true;
  });
}

template <typename Resolve>
usize ClearUserWith(Resolve&& resolve, u64 dst, usize n) {
  if (!UserRangeOk(dst, n)) return n;
  return WalkUserRange(resolve, dst, n, true, [&](u8* p, usize, usize len) {
    __builtin_memset(p, 0, len);
    return true;
  });
}

/// Copies up to n bytes including the NUL. Returns the length without the NUL; n when the
/// first n bytes hold no NUL (dst is then not terminated); -1 when a fault (or the end of the
/// user half) comes before the NUL.
template <typename Resolve>
isize StrncpyFromUserWith(Resolve&& resolve, char* dst, u64 src, usize n) {
  if (n == 0) return 0;
  if (src >= kUserEnd) return -1;
  // Bytes past the user half cannot be read: the string must end before it.
  usize limit = n <= kUserEnd - src ? n : static_cast<usize>(kUserEnd - src);
  isize length = -1;
  usize left = WalkUserRange(resolve, src, limit, false, [&](u8* p, usize off, usize len) {
    for (usize i = 0; i < len; ++i) {
      dst[off + i] = static_cast<char>(p[i]);
      if (p[i] == 0) {
        length = static_cast<isize>(off + i);
        return false;
      }
    }
    return true;
  });
  if (length >= 0) return length;
  if (left == 0 && limit == n) return static_cast<isize>(n);
  return -1;
}

}  // namespace hal::common
