#include "kernel/syscalls/fs_mount.h"

#include "kernel/fs/mount_ops.h"

namespace kernel::syscalls {

// int mount(const char *source, const char *target, const char *filesystemtype,
//           unsigned long mountflags, const void *data);  [man 2 mount]
Result<void> sys_mount(Task& task, UserCString source, UserCString target, UserCString fstype,
                       Hex flags, UserIn<u8> data) {
  fs::Actor actor = TRY(ActorOf(task));
  UserPath src, dst, type, options;
  if (!source.is_null()) TRY(src.Copy(source));
  TRY(dst.Copy(target));
  if (!fstype.is_null()) TRY(type.Copy(fstype));
  if (!data.is_null()) {
    // The options are a page of text for the file systems here (copy_mount_options); a
    // string longer than that is cut, as Linux does.
    Result<void> r = options.Copy(UserCString(data.addr()));
    if (r.is_error() && r.error() != Errno::kENAMETOOLONG) return r.error();
  }
  return fs::MountByPath(actor, src.view(), dst.view(), type.view(), flags.value, options.view());
}

// int umount2(const char *target, int flags);  [man 2 umount2]
Result<void> sys_umount2(Task& task, UserCString target, int flags) {
  fs::Actor actor = TRY(ActorOf(task));
  UserPath p;
  TRY(p.Copy(target));
  return fs::UnmountByPath(actor, p.view(), flags);
}

// int pivot_root(const char *new_root, const char *put_old);  [man 2 pivot_root]
Result<void> sys_pivot_root(Task& task, UserCString new_root, UserCString put_old) {
  fs::Actor actor = TRY(ActorOf(task));
  UserPath a, b;
  TRY(a.Copy(new_root));
  TRY(b.Copy(put_old));
  return fs::PivotRoot(actor, a.view(), b.view());
}

}  // namespace kernel::syscalls
