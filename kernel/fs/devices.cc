#include "kernel/fs/devices.h"

#include "kernel/fs/devfs/builtin_devices.h"

namespace kernel::fs {
namespace {

constexpr usize kMaxDrivers = 64;
const CharDevice* g_drivers[kMaxDrivers];
usize g_driver_count = 0;

bool Overlaps(const CharDevice& a, const CharDevice& b) {
  return a.major == b.major && a.minor_first < b.minor_first + b.minor_count &&
         b.minor_first < a.minor_first + a.minor_count;
}

}  // namespace

// Registered drivers come first: they take precedence over the built-in fallbacks (the TTY
// layer's terminals replace the plain console for 4:64 and 5:0-1).
namespace internal {
const CharDevice* CharDeviceAt(usize i) {
  if (i < g_driver_count) return g_drivers[i];
  i -= g_driver_count;
  return i < devfs::BuiltinDeviceCount() ? &devfs::BuiltinDevice(i) : nullptr;
}
}  // namespace internal

Result<void> RegisterCharDevice(const CharDevice& device) {
  for (usize i = 0; i < g_driver_count; ++i) {
    if (Overlaps(*g_drivers[i], device)) return Errno::kEBUSY;
  }
  if (g_driver_count == kMaxDrivers) return Errno::kENOSPC;
  g_drivers[g_driver_count++] = &device;
  return Ok();
}

const CharDevice* FindCharDevice(u64 rdev) {
  u32 major = DevMajor(rdev);
  u32 minor = DevMinor(rdev);
  const CharDevice* found = nullptr;
  ForEachCharDevice([&](const CharDevice& d) {
    if (found == nullptr && d.major == major && minor >= d.minor_first &&
        minor - d.minor_first < d.minor_count) {
      found = &d;
    }
  });
  return found;
}

Result<lib::RefPtr<File>> OpenCharDevice(const Path& path, lib::RefPtr<Inode> inode, u32 flags,
                                         const Actor& actor) {
  if (path.mnt && (path.mnt->flags() & ms::kNoDev)) return Errno::kEACCES;
  const CharDevice* d = FindCharDevice(inode->rdev());
  if (d == nullptr) return Errno::kENXIO;
  return d->open(path, lib::move(inode), flags, actor);
}

}  // namespace kernel::fs
