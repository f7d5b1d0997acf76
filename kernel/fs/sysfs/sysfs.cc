// sysfs: the device tree that BusyBox mdev -s and lsblk read [Documentation/ABI/stable/
// sysfs-devices, sysfs-dev]. The character devices the kernel has appear under
// /sys/devices/<path>/ with "dev" ("major:minor") and "uevent" (MAJOR, MINOR, DEVNAME), with
// links from /sys/class/<class>/<name> and /sys/dev/char/<major>:<minor>. There are no block
// devices yet: /sys/block and /sys/dev/block are empty.
#include "kernel/fs/sysfs/sysfs.h"

#include "kernel/fs/dentry.h"
#include "kernel/fs/devices.h"
#include "kernel/fs/synth/synth.h"
#include "kernel/lib/alloc.h"
#include "kernel/lib/format.h"
#include "kernel/tty/serial.h"

namespace kernel::fs::sysfs {
namespace {

using synth::TableDir;

struct Device {
  const char* name;
  const char* cls;   ///< its /sys/class directory
  const char* path;  ///< under /sys/devices
  u32 major;
  u32 minor;
  u32 mode;         ///< DEVMODE in uevent
  int serial_port;  ///< present only when this console port exists (-1: always)
};

// As Linux places them: memory devices and the tty aux devices are virtual, serial ports
// belong to the 8250 platform device.
constexpr Device kDevices[] = {
    {"null", "mem", "virtual/mem/null", 1, 3, 0666, -1},
    {"zero", "mem", "virtual/mem/zero", 1, 5, 0666, -1},
    {"full", "mem", "virtual/mem/full", 1, 7, 0666, -1},
    {"random", "mem", "virtual/mem/random", 1, 8, 0666, -1},
    {"urandom", "mem", "virtual/mem/urandom", 1, 9, 0666, -1},
    {"kmsg", "mem", "virtual/mem/kmsg", 1, 11, 0644, -1},
    {"tty", "tty", "virtual/tty/tty", 5, 0, 0666, -1},
    {"console", "tty", "virtual/tty/console", 5, 1, 0600, -1},
    {"ptmx", "tty", "virtual/tty/ptmx", 5, 2, 0666, -1},
    {"ttyS0", "tty", "platform/serial8250/tty/ttyS0", 4, 64, 0660, 0},
    {"ttyS1", "tty", "platform/serial8250/tty/ttyS1", 4, 65, 0660, 1},
};
constexpr const char* kClasses[] = {"mem", "tty"};

bool Present(const Device& d) {
  return d.serial_port < 0 || tty::SerialTty(static_cast<unsigned>(d.serial_port)) != nullptr;
}

constexpr u32 kDirMode = mode::kDirectory | 0755;

u64 NameIno(lib::string_view s) {
  u64 h = 1469598103934665603ull;  // FNV-1a
  for (char c : s) h = (h ^ static_cast<u8>(c)) * 1099511628211ull;
  return synth::ChildIno(h, 0);
}

Result<lib::RefPtr<Inode>> MakeLink(SuperBlock& sb, lib::string_view from,
                                    lib::string_view target) {
  lib::String t = TRY(lib::String::TryFrom(target));
  Inode* n = TRY(lib::TryNew<synth::FixedLinkInode>(sb, NameIno(from), lib::move(t)));
  return lib::AdoptRef(n);
}

// "../" repeated once per component of `path` plus `extra`.
Result<lib::String> UpLevels(lib::string_view path, usize extra) {
  usize levels = extra + 1;
  for (char c : path) levels += c == '/' ? 1 : 0;
  lib::String s;
  for (usize i = 0; i < levels; ++i) TRY(s.TryAppend("../"));
  return s;
}

// ---- a device directory: dev, uevent, subsystem ----

Result<void> GenDev(lib::StringBuilder& out, const Actor&, i64 index) {
  out.AppendFormat("%u:%u\n", kDevices[index].major, kDevices[index].minor);
  return Ok();
}
Result<void> GenUevent(lib::StringBuilder& out, const Actor&, i64 index) {
  const Device& d = kDevices[index];
  out.AppendFormat("MAJOR=%u\nMINOR=%u\nDEVNAME=%s\nDEVMODE=%04o\n", d.major, d.minor, d.name,
                   d.mode);
  return Ok();
}

Result<lib::RefPtr<Inode>> MakeSubsystem(SuperBlock& sb, u64, const TableDir::Entry&, i64 index) {
  const Device& d = kDevices[index];
  lib::String t = TRY(UpLevels(d.path, 1));
  TRY(t.TryAppend("class/"));
  TRY(t.TryAppend(d.cls));
  return MakeLink(sb, t.view(), t.view());
}

const TableDir::Entry kDeviceEntries[] = {
    {"dev", mode::kRegular | 0444, &TableDir::MakeText, &GenDev},
    {"subsystem", mode::kSymlink | 0777, &MakeSubsystem},
    {"uevent", mode::kRegular | 0644, &TableDir::MakeText, &GenUevent},
};

// ---- /sys/devices/...: directories named by path prefixes of the device table ----

class PrefixDir final : public synth::DirInode {
 public:
  PrefixDir(SuperBlock& sb, u64 ino, lib::String prefix)
      : DirInode(sb, ino, 0755), prefix_(lib::move(prefix)) {}

  Result<lib::RefPtr<Inode>> Lookup(lib::string_view name) override {
    lib::String full = TRY(Join(name));
    for (usize i = 0; i < sizeof(kDevices) / sizeof(kDevices[0]); ++i) {
      if (!Present(kDevices[i])) continue;
      lib::string_view p(kDevices[i].path);
      if (p == full.view()) {
        Inode* n =
            TRY(lib::TryNew<TableDir>(sb(), NameIno(p), kDeviceEntries, static_cast<i64>(i), 0755));
        return lib::AdoptRef(n);
      }
      if (p.size() > full.size() && p.substr(0, full.size()) == full.view() &&
          p[full.size()] == '/') {
        Inode* n = TRY(lib::TryNew<PrefixDir>(sb(), NameIno(full.view()), lib::move(full)));
        return lib::AdoptRef(n);
      }
    }
    return Errno::kENOENT;
  }

  // Cookies: 0 ".", 1 "..", then 2 + the index of the device whose path gives the child
  // (the first device to name each child).
  Result<void> ReadDir(u64& cookie, DirSink& sink) override {
    if (!EmitDots(sink, cookie, ino(), ino())) return Ok();
    constexpr usize kCount = sizeof(kDevices) / sizeof(kDevices[0]);
    for (; cookie - 2 < kCount; ++cookie) {
      usize i = cookie - 2;
      lib::string_view child;
      if (!ChildOf(i, &child)) continue;
      bool seen = false;
      for (usize j = 0; j < i && !seen; ++j) {
        lib::string_view other;
        seen = ChildOf(j, &other) && other == child;
      }
      if (seen) continue;
      lib::String full = TRY(Join(child));
      if (!sink.Emit(child, NameIno(full.view()), dt::kDir, cookie + 1)) return Ok();
    }
    return Ok();
  }

 private:
  Result<lib::String> Join(lib::string_view name) const {
    lib::String s = TRY(prefix_.TryClone());
    if (!s.empty()) TRY(s.TryAppend('/'));
    TRY(s.TryAppend(name));
    return s;
  }
  // The component of device i's path right below this directory, if it is below.
  bool ChildOf(usize i, lib::string_view* child) const {
    if (!Present(kDevices[i])) return false;
    lib::string_view p(kDevices[i].path);
    if (!prefix_.empty()) {
      if (p.size() <= prefix_.size() || p.substr(0, prefix_.size()) != prefix_.view() ||
          p[prefix_.size()] != '/') {
        return false;
      }
      p = p.substr(prefix_.size() + 1);
    }
    *child = p.substr(0, p.find('/'));
    return true;
  }

  lib::String prefix_;
};

// ---- /sys/class/<class> and /sys/dev/char: links into /sys/devices ----

class LinkDir final : public synth::DirInode {
 public:
  /// `cls` null: /sys/dev/char ("major:minor" names); else /sys/class/<cls>.
  LinkDir(SuperBlock& sb, u64 ino, const char* cls) : DirInode(sb, ino, 0755), cls_(cls) {}

  Result<lib::RefPtr<Inode>> Lookup(lib::string_view name) override {
    for (usize i = 0; i < sizeof(kDevices) / sizeof(kDevices[0]); ++i) {
      char buf[32];
      if (Matches(i) && NameOf(i, buf) == name) return MakeTarget(i);
    }
    return Errno::kENOENT;
  }

  Result<void> ReadDir(u64& cookie, DirSink& sink) override {
    if (!EmitDots(sink, cookie, ino(), ino())) return Ok();
    for (; cookie - 2 < sizeof(kDevices) / sizeof(kDevices[0]); ++cookie) {
      usize i = cookie - 2;
      if (!Matches(i)) continue;
      char buf[32];
      lib::string_view name = NameOf(i, buf);
      if (!sink.Emit(name, NameIno(kDevices[i].path) + 1, dt::kSymlink, cookie + 1)) return Ok();
    }
    return Ok();
  }

 private:
  bool Matches(usize i) const {
    return Present(kDevices[i]) && (cls_ == nullptr || lib::string_view(kDevices[i].cls) == cls_);
  }
  lib::string_view NameOf(usize i, char (&buf)[32]) const {
    if (cls_ != nullptr) return kDevices[i].name;
    usize n = lib::Snprintf(buf, sizeof(buf), "%u:%u", kDevices[i].major, kDevices[i].minor);
    return lib::string_view(buf, n);
  }
  // Both /sys/class/<c>/<name> and /sys/dev/char/<m:n> are two levels below /sys.
  Result<lib::RefPtr<Inode>> MakeTarget(usize i) {
    lib::String t = TRY(lib::String::TryFrom("../../devices/"));
    TRY(t.TryAppend(kDevices[i].path));
    Inode* n =
        TRY(lib::TryNew<synth::FixedLinkInode>(sb(), NameIno(kDevices[i].path) + 1, lib::move(t)));
    return lib::AdoptRef(n);
  }

  const char* cls_;
};

Result<lib::RefPtr<Inode>> MakeEmptyDir(SuperBlock& sb, u64 ino, const TableDir::Entry&, i64) {
  Inode* n = TRY(lib::TryNew<TableDir>(sb, ino, lib::span<const TableDir::Entry>(), 0, 0755));
  return lib::AdoptRef(n);
}

Result<lib::RefPtr<Inode>> MakeCharDir(SuperBlock& sb, u64 ino, const TableDir::Entry&, i64) {
  Inode* n = TRY(lib::TryNew<LinkDir>(sb, ino, nullptr));
  return lib::AdoptRef(n);
}

Result<lib::RefPtr<Inode>> MakeDevicesDir(SuperBlock& sb, u64 ino, const TableDir::Entry&, i64) {
  Inode* n = TRY(lib::TryNew<PrefixDir>(sb, ino, lib::String()));
  return lib::AdoptRef(n);
}

const TableDir::Entry kDevEntries[] = {
    {"block", kDirMode, &MakeEmptyDir},
    {"char", kDirMode, &MakeCharDir},
};

Result<lib::RefPtr<Inode>> MakeDevDir(SuperBlock& sb, u64 ino, const TableDir::Entry&, i64) {
  Inode* n = TRY(lib::TryNew<TableDir>(sb, ino, kDevEntries, 0, 0755));
  return lib::AdoptRef(n);
}

class ClassDir final : public synth::DirInode {
 public:
  ClassDir(SuperBlock& sb, u64 ino) : DirInode(sb, ino, 0755) {}
  Result<lib::RefPtr<Inode>> Lookup(lib::string_view name) override {
    for (usize i = 0; i < sizeof(kClasses) / sizeof(kClasses[0]); ++i) {
      if (name == kClasses[i]) {
        Inode* n = TRY(lib::TryNew<LinkDir>(sb(), synth::ChildIno(ino(), i), kClasses[i]));
        return lib::AdoptRef(n);
      }
    }
    return Errno::kENOENT;
  }
  Result<void> ReadDir(u64& cookie, DirSink& sink) override {
    if (!EmitDots(sink, cookie, ino(), ino())) return Ok();
    for (; cookie - 2 < sizeof(kClasses) / sizeof(kClasses[0]); ++cookie) {
      if (!sink.Emit(kClasses[cookie - 2], synth::ChildIno(ino(), cookie - 2), dt::kDir,
                     cookie + 1)) {
        return Ok();
      }
    }
    return Ok();
  }
};

Result<lib::RefPtr<Inode>> MakeClassDir(SuperBlock& sb, u64 ino, const TableDir::Entry&, i64) {
  Inode* n = TRY(lib::TryNew<ClassDir>(sb, ino));
  return lib::AdoptRef(n);
}

// The top level as Linux has it; the directories Aramid has nothing for are empty.
const TableDir::Entry kRootEntries[] = {
    {"block", kDirMode, &MakeEmptyDir},     {"bus", kDirMode, &MakeEmptyDir},
    {"class", kDirMode, &MakeClassDir},     {"dev", kDirMode, &MakeDevDir},
    {"devices", kDirMode, &MakeDevicesDir}, {"firmware", kDirMode, &MakeEmptyDir},
    {"fs", kDirMode, &MakeEmptyDir},        {"kernel", kDirMode, &MakeEmptyDir},
    {"module", kDirMode, &MakeEmptyDir},    {"power", kDirMode, &MakeEmptyDir},
};

Result<lib::RefPtr<Dentry>> MountSysfs(const FileSystemType& type, const MountArgs& args) {
  auto* sb = TRY(lib::TryNew<synth::SynthSuperBlock>(type, magic::kSysfs, args.flags));
  lib::RefPtr<SuperBlock> hold = lib::AdoptRef<SuperBlock>(sb);
  if (!args.data.empty()) return Errno::kEINVAL;
  Inode* root = TRY(lib::TryNew<TableDir>(*sb, 1, kRootEntries, 0, 0755));
  return Dentry::CreateRoot(lib::AdoptRef(root));
}

}  // namespace

const FileSystemType kSysfsType{"sysfs", false, &MountSysfs};

}  // namespace kernel::fs::sysfs
