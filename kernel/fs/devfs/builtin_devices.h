#pragma once
/// The character devices built into the kernel: the memory devices (null, zero, full,
/// random, urandom, kmsg) and the console (console, tty, ttyS0) until the TTY layer (#8)
/// registers real terminals.
#include "kernel/fs/devices.h"

namespace kernel::fs::devfs {

usize BuiltinDeviceCount();
const CharDevice& BuiltinDevice(usize i);

/// A byte received on console port 0 (the HAL's input hook, interrupt context).
void ConsoleInput(u8 byte);

/// Fills `buf` with pseudo-random bytes (/dev/urandom). Not cryptographic: a xoshiro256**
/// stream seeded from the clocks at first use.
void FillRandom(void* buf, usize n);

/// Opens the console (console, tty, ttyS0): bytes to and from serial port 0, no line
/// discipline. TODO(#8): the TTY layer replaces this with real terminals.
Result<lib::RefPtr<File>> OpenConsole(const Path& path, lib::RefPtr<Inode> inode, u32 flags,
                                      const Actor& actor);

/// A File for a device node; subclasses implement the device.
class DeviceFile : public File {
 public:
  DeviceFile(const Path& path, lib::RefPtr<Inode> inode, u32 flags)
      : File(FileKind::kDevice, path, lib::move(inode), flags) {}
};

}  // namespace kernel::fs::devfs
