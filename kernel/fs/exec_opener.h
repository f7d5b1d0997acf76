#pragma once
/// execve's view of the VFS: executables opened by path with fs::OpenExec (execute
/// permission, noexec mounts, a regular file) and read through their page cache.
#include "kernel/elf/exec_file.h"
#include "kernel/fs/file.h"

namespace kernel::fs {

/// An ExecFile over an open file. ENOMEM.
Result<lib::RefPtr<elf::ExecFile>> MakeExecFile(lib::RefPtr<File> file);

/// Installs the VFS opener with proc::SetExecOpener: from then on execve and the
/// interpreters it names (PT_INTERP, `#!`) are found by path from the calling task's root
/// and working directory.
void InstallExecOpener();

}  // namespace kernel::fs
