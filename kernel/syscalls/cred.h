#pragma once
// Credential system calls [kernel/syscalls/cred.cc; man 7 credentials]. Privilege is
// all-or-nothing here: "CAP_SETUID"/"CAP_SETGID" means euid 0, as for a Linux process
// without capability tweaks.
#include "kernel/proc/credentials.h"
#include "kernel/proc/task.h"
#include "kernel/syscalls/args.h"

namespace kernel::syscalls {

using proc::Gid;
using proc::Task;
using proc::Uid;

Result<u32> sys_getuid(Task& task);
Result<u32> sys_geteuid(Task& task);
Result<u32> sys_getgid(Task& task);
Result<u32> sys_getegid(Task& task);
Result<void> sys_setuid(Task& task, u32 uid);
Result<void> sys_setgid(Task& task, u32 gid);
Result<void> sys_setreuid(Task& task, u32 ruid, u32 euid);
Result<void> sys_setregid(Task& task, u32 rgid, u32 egid);
Result<void> sys_setresuid(Task& task, u32 ruid, u32 euid, u32 suid);
Result<void> sys_setresgid(Task& task, u32 rgid, u32 egid, u32 sgid);
Result<void> sys_getresuid(Task& task, UserOut<u32> ruid, UserOut<u32> euid, UserOut<u32> suid);
Result<void> sys_getresgid(Task& task, UserOut<u32> rgid, UserOut<u32> egid, UserOut<u32> sgid);
Result<u32> sys_setfsuid(Task& task, u32 fsuid);
Result<u32> sys_setfsgid(Task& task, u32 fsgid);
Result<int> sys_getgroups(Task& task, int size, UserOut<u32> list);
Result<void> sys_setgroups(Task& task, int size, UserIn<u32> list);

// clang-format off
#define ARAMID_SYSCALLS_CRED(X) \
  X(102, getuid)                \
  X(107, geteuid)               \
  X(104, getgid)                \
  X(108, getegid)               \
  X(105, setuid)                \
  X(106, setgid)                \
  X(113, setreuid)              \
  X(114, setregid)              \
  X(117, setresuid)             \
  X(118, getresuid)             \
  X(119, setresgid)             \
  X(120, getresgid)             \
  X(122, setfsuid)              \
  X(123, setfsgid)              \
  X(115, getgroups)             \
  X(116, setgroups)
// clang-format on

/// What execve does to the credentials of `task` [man 2 execve; linux bprm_fill_uid,
/// commit_creds]: a set-user-ID file makes its owner the effective uid, a set-group-ID file
/// its group the effective gid (unless the mount is nosuid); the saved ids then copy the
/// effective ones and the filesystem ids follow them. Returns whether the exec is "secure"
/// (AT_SECURE: effective ids differ from real ones).
bool ApplyExecCredentials(Task& task, bool set_uid, Uid file_uid, bool set_gid, Gid file_gid);

}  // namespace kernel::syscalls
