#pragma once
/// procfs: processes and kernel state as text files [man 5 proc]. Mounted on /proc by
/// MountRootFromInitramfs. The formats are Linux's, field for field; values Aramid does not
/// track are printed as Linux prints them when they are zero or unset.
///
/// Per process: /proc/<pid>/{stat,statm,status,cmdline,environ,comm,exe,cwd,root,fd/,fdinfo/,
/// maps,smaps_rollup,mounts,mountinfo,task/<tid>/}. System: self, thread-self, meminfo,
/// cpuinfo, stat, uptime, loadavg, version, filesystems, mounts, sys/kernel/{hostname,
/// domainname,osrelease,ostype,pid_max}, sys/vm/overcommit_memory.
#include "kernel/fs/super_block.h"

namespace kernel::fs::procfs {

extern const FileSystemType kProcType;

/// /proc/sys/vm/overcommit_memory (0 heuristic, 1 always, 2 never) [man 5 proc].
int OvercommitPolicy();

}  // namespace kernel::fs::procfs
