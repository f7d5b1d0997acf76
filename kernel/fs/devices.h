#pragma once
/// The character-device registry: which driver opens a device node, by major and minor
/// number, wherever the node lives (devfs, a tmpfs /dev made by mknod, the initramfs).
/// Drivers register a range of minors; open(2) of a node with no driver is ENXIO, as Linux's
/// chrdev_open answers.
#include "kernel/fs/file.h"

namespace kernel::fs {

struct Actor;

using CharDeviceOpen = Result<lib::RefPtr<File>> (*)(const Path& path, lib::RefPtr<Inode> inode,
                                                     u32 flags, const Actor& actor);

struct CharDevice {
  u32 major;
  u32 minor_first;
  u32 minor_count;
  const char* name;  ///< as /proc/devices lists it
  CharDeviceOpen open;
};

/// Registers a driver (the CharDevice must outlive the kernel: static storage). It takes
/// precedence over the built-in devices (kernel/fs/devfs/builtin_devices.h) for its range.
/// EBUSY when the range overlaps another registered driver, ENOSPC when the table is full.
Result<void> RegisterCharDevice(const CharDevice& device);
/// The driver for `rdev`, or null.
const CharDevice* FindCharDevice(u64 rdev);
/// Calls fn(device) for each driver: registered ones first, then the built-in ones.
template <typename Fn>
void ForEachCharDevice(Fn fn);

/// Opens the character-device node `inode` through its driver.
Result<lib::RefPtr<File>> OpenCharDevice(const Path& path, lib::RefPtr<Inode> inode, u32 flags,
                                         const Actor& actor);

namespace internal {
const CharDevice* CharDeviceAt(usize i);
}
template <typename Fn>
void ForEachCharDevice(Fn fn) {
  for (usize i = 0;; ++i) {
    const CharDevice* d = internal::CharDeviceAt(i);
    if (d == nullptr) return;
    fn(*d);
  }
}

/// Well-known device numbers [Documentation/admin-guide/devices.txt].
namespace devno {
inline constexpr u32 kMemMajor = 1;     // null 3, zero 5, full 7, random 8, urandom 9, kmsg 11
inline constexpr u32 kTtyMajor = 4;     // ttyS0 is 4:64
inline constexpr u32 kTtyAuxMajor = 5;  // tty 5:0, console 5:1, ptmx 5:2
inline constexpr u32 kPtsMajor = 136;
}  // namespace devno

}  // namespace kernel::fs
