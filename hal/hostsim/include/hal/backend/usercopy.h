#pragma once
// hostsim user copies: a software page walk of the active address space, with faults handed
// to the kernel as a kernel-mode #PF would be.
namespace hal::hostsim {

struct UserCopy {
  static kernel::usize CopyFromUser(void* dst, kernel::u64 src, kernel::usize n);
  static kernel::usize CopyToUser(kernel::u64 dst, const void* src, kernel::usize n);
  static kernel::usize ClearUser(kernel::u64 dst, kernel::usize n);
  static kernel::isize StrncpyFromUser(char* dst, kernel::u64 src, kernel::usize n);
};

}  // namespace hal::hostsim

namespace hal {
using UserCopyImpl = hostsim::UserCopy;
}
