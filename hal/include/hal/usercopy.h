#pragma once
/// The user-copy concern: moving bytes between kernel memory and the active user address
/// space. A copy that touches an unmapped or protected user page first asks the kernel to
/// resolve it (hal::hooks::OnKernelUserFault: demand paging, copy-on-write), exactly as a
/// kernel-mode #PF would on hardware; if that fails the copy stops and reports how far it got.
/// x86_64 copies directly (SMAP-aware, with exception fixups); hostsim walks the page tables
/// through the software MMU.
#include <concepts>

#include <hal/types.h>

namespace hal {

template <typename T>
concept UserCopyBackend = requires(void* dst, const void* src, kernel::u64 uaddr, kernel::usize n) {
  /// Returns the number of bytes NOT copied (0 on success), like Linux's copy_from_user.
  { T::CopyFromUser(dst, uaddr, n) } -> std::same_as<kernel::usize>;
  { T::CopyToUser(uaddr, src, n) } -> std::same_as<kernel::usize>;
  { T::ClearUser(uaddr, n) } -> std::same_as<kernel::usize>;
  /// Copy a NUL-terminated string of at most n bytes including the NUL. Returns the length
  /// without the NUL, n when no NUL was found in n bytes, or -1 on a fault.
  { T::StrncpyFromUser(static_cast<char*>(dst), uaddr, n) } -> std::same_as<kernel::isize>;
};

}  // namespace hal

#include <hal/backend/usercopy.h>

namespace hal {
static_assert(UserCopyBackend<UserCopyImpl>,
              "the HAL backend's usercopy does not meet the contract");
using UserCopy = UserCopyImpl;
}  // namespace hal
