// x86_64 user copies: the kernel touches user memory directly, between stac and clac when
// SMAP is on, with each instruction that may fault listed in the exception table
// (hal/x86_64/cpu/extable.h). A fault goes to the kernel #PF handler (cpu/traps.cc), which asks
// hal::hooks::OnKernelUserFault and re-executes the instruction when the page was made
// accessible, or resumes at the fixup, from where the copy reports how far it got. `rep movsb`
// and `rep stosb` are restartable: after a fault rcx counts the bytes not yet done
// [intel-sdm 2 REP]. The semantics (access_ok, zeroing, string results) are Linux's, the same
// as hostsim's (hal/common/user_copy_walk.h).
#include <hal/mmu.h>
#include <hal/usercopy.h>

#include "hal/common/user_copy_walk.h"
#include "hal/x86_64/cpu/extable.h"
#include "hal/x86_64/cpu/features.h"

namespace hal::x86_64 {
namespace {

// EFLAGS.AC opens user pages to supervisor data accesses while SMAP is on [intel-sdm 3
// §4.6.1]; the instructions do not exist on CPUs without SMAP.
class UserAccess {
 public:
  UserAccess() : smap_(SmapEnabled()) {
    if (smap_) asm volatile("stac" ::: "memory");
  }
  ~UserAccess() {
    if (smap_) asm volatile("clac" ::: "memory");
  }
  UserAccess(const UserAccess&) = delete;
  UserAccess& operator=(const UserAccess&) = delete;

 private:
  bool smap_;
};

// Returns the bytes not copied.
usize CopyBytes(void* dst, const void* src, usize n) {
  UserAccess access;
  asm volatile(
      "1: rep movsb\n"
      "2:\n" ARAMID_EXTABLE(1b, 2b)
      : "+c"(n), "+D"(dst), "+S"(src)
      :
      : "memory");
  return n;
}

// Returns the bytes not cleared.
usize ClearBytes(void* dst, usize n) {
  UserAccess access;
  asm volatile(
      "1: rep stosb\n"
      "2:\n" ARAMID_EXTABLE(1b, 2b)
      : "+c"(n), "+D"(dst)
      : "a"(0)
      : "memory");
  return n;
}

// One byte from user memory; false when it cannot be read. The caller holds a UserAccess.
bool FetchByte(u64 addr, u8& out) {
  u32 ok = 1;
  u8 v = 0;
  asm volatile(
      "1: movb (%[addr]), %[v]\n"
      "   jmp 3f\n"
      "2: xorl %[ok], %[ok]\n"
      "3:\n" ARAMID_EXTABLE(1b, 2b)
      : [v] "+q"(v), [ok] "+r"(ok)
      : [addr] "r"(addr)
      : "memory");
  out = v;
  return ok != 0;
}

}  // namespace

kernel::usize UserCopy::CopyFromUser(void* dst, kernel::u64 src, kernel::usize n) {
  usize left = common::UserRangeOk(src, n) ? CopyBytes(dst, reinterpret_cast<void*>(src), n) : n;
  // As Linux: the kernel buffer never keeps stale bytes where the copy failed.
  __builtin_memset(static_cast<u8*>(dst) + (n - left), 0, left);
  return left;
}

kernel::usize UserCopy::CopyToUser(kernel::u64 dst, const void* src, kernel::usize n) {
  if (!common::UserRangeOk(dst, n)) return n;
  return CopyBytes(reinterpret_cast<void*>(dst), src, n);
}

kernel::usize UserCopy::ClearUser(kernel::u64 dst, kernel::usize n) {
  if (!common::UserRangeOk(dst, n)) return n;
  return ClearBytes(reinterpret_cast<void*>(dst), n);
}

kernel::isize UserCopy::StrncpyFromUser(char* dst, kernel::u64 src, kernel::usize n) {
  if (n == 0) return 0;
  if (src >= kUserEnd) return -1;
  // Bytes past the user half cannot be read: the string must end before it.
  usize limit = n <= kUserEnd - src ? n : static_cast<usize>(kUserEnd - src);
  UserAccess access;
  for (usize i = 0; i < limit; ++i) {
    u8 c;
    if (!FetchByte(src + i, c)) return -1;
    dst[i] = static_cast<char>(c);
    if (c == 0) return static_cast<isize>(i);
  }
  return limit == n ? static_cast<isize>(n) : -1;
}

}  // namespace hal::x86_64
