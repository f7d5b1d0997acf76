#include "kernel/fs/devfs/devfs.h"

#include "kernel/fs/devices.h"

namespace kernel::fs::devfs {
namespace {

struct Node {
  const char* name;
  u32 mode;
  u32 major;
  u32 minor;
};

// Modes as Linux's drivers ask devtmpfs for them.
constexpr Node kNodes[] = {
    {"null", mode::kChar | 0666, devno::kMemMajor, 3},
    {"zero", mode::kChar | 0666, devno::kMemMajor, 5},
    {"full", mode::kChar | 0666, devno::kMemMajor, 7},
    {"random", mode::kChar | 0666, devno::kMemMajor, 8},
    {"urandom", mode::kChar | 0666, devno::kMemMajor, 9},
    {"kmsg", mode::kChar | 0644, devno::kMemMajor, 11},
    {"tty", mode::kChar | 0666, devno::kTtyAuxMajor, 0},
    {"console", mode::kChar | 0600, devno::kTtyAuxMajor, 1},
    {"ptmx", mode::kChar | 0666, devno::kTtyAuxMajor, 2},
    {"ttyS0", mode::kChar | 0660, devno::kTtyMajor, 64},
};

struct Link {
  const char* name;
  const char* target;
};

constexpr Link kLinks[] = {
    {"fd", "/proc/self/fd"},
    {"stdin", "/proc/self/fd/0"},
    {"stdout", "/proc/self/fd/1"},
    {"stderr", "/proc/self/fd/2"},
};

// Creating what exists already is fine: /dev may have come from the initramfs.
Result<void> IgnoreExists(const Result<lib::RefPtr<Inode>>& r) {
  if (r.is_error() && r.error() != Errno::kEEXIST) return r.error();
  return Ok();
}

}  // namespace

Result<void> Populate(const Path& dev) {
  Inode& dir = *dev.inode();
  for (const Node& n : kNodes) {
    TRY(IgnoreExists(dir.Create(n.name, n.mode, 0, 0, MakeDev(n.major, n.minor))));
  }
  TRY(IgnoreExists(dir.MkDir("pts", mode::kDirectory | 0755, 0, 0)));
  TRY(IgnoreExists(dir.MkDir("shm", mode::kDirectory | 01777, 0, 0)));
  for (const Link& l : kLinks) TRY(IgnoreExists(dir.Symlink(l.name, l.target, 0, 0)));
  return Ok();
}

}  // namespace kernel::fs::devfs
