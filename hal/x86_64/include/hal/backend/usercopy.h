#pragma once
// x86_64 user copies: direct access under SMAP's stac/clac with exception-table fixups.
namespace hal::x86_64 {

struct UserCopy {
  static kernel::usize CopyFromUser(void* dst, kernel::u64 src, kernel::usize n);
  static kernel::usize CopyToUser(kernel::u64 dst, const void* src, kernel::usize n);
  static kernel::usize ClearUser(kernel::u64 dst, kernel::usize n);
  static kernel::isize StrncpyFromUser(char* dst, kernel::u64 src, kernel::usize n);
};

}  // namespace hal::x86_64

namespace hal {
using UserCopyImpl = x86_64::UserCopy;
}
