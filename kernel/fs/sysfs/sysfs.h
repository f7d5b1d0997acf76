#pragma once
/// sysfs on /sys: the devices the kernel has, as BusyBox mdev -s and lsblk read them
/// (/sys/class, /sys/dev/{char,block}, /sys/block, /sys/devices with dev and uevent files).
#include "kernel/fs/super_block.h"

namespace kernel::fs::sysfs {

extern const FileSystemType kSysfsType;

}  // namespace kernel::fs::sysfs
