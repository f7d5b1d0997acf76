#pragma once
/// The character devices built into the kernel: the memory devices (null, zero, full,
/// random, urandom, kmsg) and the terminals (ttyS*, tty, console, ptmx, pts/*) over
/// kernel/tty.
#include "kernel/fs/devices.h"

namespace kernel::fs::devfs {

usize BuiltinDeviceCount();
const CharDevice& BuiltinDevice(usize i);

/// Fills `buf` with pseudo-random bytes (/dev/urandom). Not cryptographic: a xoshiro256**
/// stream seeded from the clocks at first use.
void FillRandom(void* buf, usize n);

/// The terminal devices (tty_files.cc).
extern const CharDevice kTtyDevices[];
extern const usize kTtyDeviceCount;

/// A File for a device node; subclasses implement the device.
class DeviceFile : public File {
 public:
  DeviceFile(const Path& path, lib::RefPtr<Inode> inode, u32 flags)
      : File(FileKind::kDevice, path, lib::move(inode), flags) {}
};

}  // namespace kernel::fs::devfs
