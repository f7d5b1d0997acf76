#pragma once
/// /dev: a devtmpfs (a tmpfs) populated with the kernel's device nodes, as Linux's devtmpfs
/// is, plus the fd/stdin/stdout/stderr links that udev and mdev would add.
#include "kernel/fs/path.h"

namespace kernel::fs::devfs {

/// Creates the standard nodes, directories and links in the directory `dev`.
Result<void> Populate(const Path& dev);

}  // namespace kernel::fs::devfs
