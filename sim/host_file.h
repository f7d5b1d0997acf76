#pragma once
// A File backed by a file descriptor of the host process: the native runner puts the host's
// stdin, stdout and stderr on PID 1's fds 0-2, so a program's output reaches the terminal
// (or the test's pipe) byte for byte and without the console's line discipline. Host code.
//
// Reads and writes go straight to the host fd and block the whole simulator while they do
// (one task runs at a time anyway). Poll reports the file always ready, so poll/select never
// wait for it: a read then blocks on the host.
#include "kernel/fs/file.h"

namespace sim {

/// A file for host fd `host_fd` (not owned, never closed), with access mode `flags`
/// (o::kRdOnly / kWrOnly / kRdWr). It stats as a character device when the host fd is a
/// terminal and a FIFO otherwise, so programs neither seek on it nor take it for a tty.
/// ENOMEM.
kernel::Result<kernel::lib::RefPtr<kernel::fs::File>> MakeHostFile(int host_fd, kernel::u32 flags);

/// Puts host fds host_fds[0..2] on fds 0, 1 and 2 of `task`'s fd table (replacing what was
/// there): read-only, write-only, write-only.
kernel::Result<void> InstallHostStdio(kernel::proc::Task& task, const int host_fds[3]);

}  // namespace sim
