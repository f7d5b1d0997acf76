// The file-system types the kernel knows, in /proc/filesystems order.
#include "kernel/fs/devpts/devpts.h"
#include "kernel/fs/procfs/procfs.h"
#include "kernel/fs/super_block.h"
#include "kernel/fs/sysfs/sysfs.h"
#include "kernel/fs/tmpfs/tmpfs.h"

namespace kernel::fs {
namespace {
const FileSystemType* const kFileSystems[] = {
    &sysfs::kSysfsType,    &tmpfs::kTmpfsType,  &procfs::kProcType,   &tmpfs::kRamfsType,
    &tmpfs::kDevtmpfsType, &tmpfs::kRootfsType, &devpts::kDevptsType,
};
}  // namespace

namespace internal {
const FileSystemType* const* FileSystemList(usize* count) {
  *count = sizeof(kFileSystems) / sizeof(kFileSystems[0]);
  return kFileSystems;
}
}  // namespace internal

const FileSystemType* FindFileSystem(lib::string_view name) {
  const FileSystemType* found = nullptr;
  ForEachFileSystem([&](const FileSystemType& t) {
    if (found == nullptr && name == t.name) found = &t;
  });
  return found;
}

}  // namespace kernel::fs
