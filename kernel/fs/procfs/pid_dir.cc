// /proc/<pid> and /proc/<pid>/task/<tid>: the directories, fd/ and fdinfo/, the cwd, root and
// exe links, and cmdline, environ and comm [linux fs/proc/base.c, fd.c].
#include "kernel/fs/fd_table.h"
#include "kernel/fs/fs_context.h"
#include "kernel/fs/procfs/internal.h"
#include "kernel/lib/alloc.h"
#include "kernel/lib/format.h"
#include "kernel/mm/address_space.h"
#include "kernel/proc/pid_table.h"

namespace kernel::fs::procfs {

Result<usize> ReadProcessMemory(const mm::AddressSpace& as, u64 va, void* out, usize n);

namespace {

using synth::TableDir;

constexpr u32 kRo = mode::kRegular | 0444;
constexpr u32 kOwnerRo = mode::kRegular | 0400;
constexpr u32 kDirMode = mode::kDirectory | 0555;
constexpr u32 kOwnerDir = mode::kDirectory | 0500;
constexpr u32 kLnk = mode::kSymlink | 0777;

lib::optional<u32> ParseNumber(lib::string_view name) {
  if (name.empty() || name.size() > 9 || (name[0] == '0' && name.size() > 1)) return {};
  u32 v = 0;
  for (char c : name) {
    if (c < '0' || c > '9') return {};
    v = v * 10 + static_cast<u32>(c - '0');
  }
  return v;
}

// The fd table of the process an inode belongs to (its leader's: threads share it unless
// cloned without CLONE_FILES, and then the thread's own).
lib::RefPtr<FdTable> FdTableOf(i64 arg) {
  proc::Task* t = TaskOf(arg);
  return t != nullptr ? t->fd_table() : lib::RefPtr<FdTable>();
}

// ---- cmdline, environ, comm ----

Result<void> AppendMemory(lib::StringBuilder& out, i64 arg, bool environ) {
  proc::Task* t = TaskOf(arg);
  if (t == nullptr) return Errno::kESRCH;
  mm::AddressSpace* as = t->address_space();
  if (as == nullptr) return Ok();  // a kernel thread or a zombie: empty, as on Linux
  const mm::AddressSpace::ExecStrings& s = as->exec_strings();
  u64 start = environ ? s.env_start : s.arg_start;
  u64 end = environ ? s.env_end : s.arg_end;
  char chunk[256];
  while (start < end) {
    usize n = end - start < sizeof(chunk) ? end - start : sizeof(chunk);
    usize got = ReadProcessMemory(*as, start, chunk, n).value_or(0);
    if (got == 0) break;
    out.Append(lib::string_view(chunk, got));
    start += got;
  }
  return Ok();
}

Result<void> GenCmdline(lib::StringBuilder& out, const Actor&, i64 arg) {
  return AppendMemory(out, arg, false);
}
Result<void> GenEnviron(lib::StringBuilder& out, const Actor&, i64 arg) {
  return AppendMemory(out, arg, true);
}
Result<void> GenComm(lib::StringBuilder& out, const Actor&, i64 arg) {
  proc::Task* t = TaskOf(arg);
  if (t == nullptr) return Errno::kESRCH;
  out.AppendFormat("%s\n", t->name());
  return Ok();
}

// ---- cwd, root, exe ----

class PlaceLink final : public synth::LinkInode {
 public:
  enum class Kind : u8 { kCwd, kRoot, kExe };
  PlaceLink(SuperBlock& sb, u64 ino, i64 arg, Kind kind)
      : LinkInode(sb, ino), arg_(arg), kind_(kind) {}
  Result<LinkTarget> GetLink(const Actor&) override {
    proc::Task* t = TaskOf(arg_);
    if (t == nullptr || !t->fs_context()) return Errno::kENOENT;
    LinkTarget target;
    switch (kind_) {
      case Kind::kCwd:
        target.jump = t->fs_context()->cwd();
        break;
      case Kind::kRoot:
        target.jump = t->fs_context()->root();
        break;
      case Kind::kExe: {
        proc::Process* p = t->process();
        File* exe = p != nullptr && p->exe_file() ? p->exe_file()->vfs_file() : nullptr;
        if (exe == nullptr || !exe->path().valid()) return Errno::kENOENT;
        target.jump = exe->path();
        break;
      }
    }
    return target;
  }

 private:
  i64 arg_;
  Kind kind_;
};

template <PlaceLink::Kind kKind>
Result<lib::RefPtr<Inode>> MakePlaceLink(SuperBlock& sb, u64 ino, const TableDir::Entry&, i64 arg) {
  Inode* n = TRY(lib::TryNew<PlaceLink>(sb, ino, arg, kKind));
  return lib::AdoptRef(n);
}

// ---- fd/ and fdinfo/ ----

// /proc/<pid>/fd/N: a magic link to the open file (its place), or "pipe:[ino]"-style text for
// files that have none. Its mode shows the access mode, as Linux's proc_fd_link does.
class FdLink final : public synth::LinkInode {
 public:
  FdLink(SuperBlock& sb, u64 ino, i64 arg, int fd, u32 perm)
      : LinkInode(sb, ino, perm), arg_(arg), fd_(fd) {
    // lstat reports 64 for every fd link, whatever it names [linux fs/proc/fd.c
    // proc_fd_instantiate: i_size = 64].
    set_size(64);
  }
  Result<LinkTarget> GetLink(const Actor&) override {
    lib::RefPtr<FdTable> fds = FdTableOf(arg_);
    if (!fds) return Errno::kENOENT;
    lib::RefPtr<File> f = fds->Get(fd_).value_or(lib::RefPtr<File>());
    if (!f) return Errno::kENOENT;
    LinkTarget t;
    if (f->path().valid()) {
      t.jump = f->path();
    } else {
      t.text = TRY(f->Describe());
    }
    return t;
  }
  bool Stale() const override {
    lib::RefPtr<FdTable> fds = FdTableOf(arg_);
    return !fds || fds->Get(fd_).is_error();
  }

 private:
  i64 arg_;
  int fd_;
};

u32 FdLinkPerm(const File& f) {
  u32 perm = 0;
  if (f.readable()) perm |= 0500;
  if (f.writable()) perm |= 0300;
  return perm;
}

Result<void> GenFdInfo(lib::StringBuilder& out, const Actor&, i64 arg);

class FdDir final : public synth::DirInode {
 public:
  FdDir(SuperBlock& sb, u64 ino, i64 arg, bool info, u32 uid, u32 gid)
      : DirInode(sb, ino, info ? 0555 : 0500, uid, gid), arg_(arg), info_(info) {}

  Result<lib::RefPtr<Inode>> Lookup(lib::string_view name) override {
    lib::optional<u32> fd = ParseNumber(name);
    if (!fd) return Errno::kENOENT;
    lib::RefPtr<FdTable> fds = FdTableOf(arg_);
    if (!fds) return Errno::kENOENT;
    lib::RefPtr<File> f = fds->Get(static_cast<int>(*fd)).value_or(lib::RefPtr<File>());
    if (!f) return Errno::kENOENT;
    u64 ino = synth::ChildIno(this->ino(), *fd);
    Inode* n;
    if (info_) {
      // The fd number rides in the top bits of the argument (tids fit in 31 bits).
      n = TRY(
          lib::TryNew<synth::FnTextInode>(sb(), ino, 0444, &GenFdInfo, nullptr, FdInfoArg(*fd)));
    } else {
      n = TRY(lib::TryNew<FdLink>(sb(), ino, arg_, static_cast<int>(*fd), FdLinkPerm(*f)));
    }
    return lib::AdoptRef(n);
  }

  // Cookies: 0 ".", 1 "..", then 2 + fd.
  Result<void> ReadDir(u64& cookie, DirSink& sink) override {
    if (!EmitDots(sink, cookie, ino(), ino())) return Ok();
    lib::RefPtr<FdTable> fds = FdTableOf(arg_);
    if (!fds) return Ok();
    bool full = false;
    fds->ForEach([&](int fd, const lib::RefPtr<File>&, u32) {
      if (full || static_cast<u64>(fd) + 2 < cookie) return;
      char name[12];
      usize n = lib::Snprintf(name, sizeof(name), "%d", fd);
      u64 next = static_cast<u64>(fd) + 3;
      if (!sink.Emit(lib::string_view(name, n), synth::ChildIno(ino(), static_cast<u64>(fd)),
                     info_ ? dt::kRegular : dt::kSymlink, next)) {
        full = true;
        return;
      }
      cookie = next;
    });
    return Ok();
  }

 private:
  i64 FdInfoArg(u32 fd) const {
    // (tgid, tid) in 32+31 bits would not leave room: fdinfo keeps tgid and the fd.
    return PidArg(TgidOf(arg_), 0) | static_cast<i64>(static_cast<u64>(fd) << 32);
  }
  i64 arg_;
  bool info_;
};

// "pos:\t%lli\nflags:\t0%o\nmnt_id:\t%i\nino:\t%lu\n" [linux fs/proc/fd.c seq_show].
Result<void> GenFdInfo(lib::StringBuilder& out, const Actor&, i64 arg) {
  lib::RefPtr<FdTable> fds = FdTableOf(PidArg(TgidOf(arg), 0));
  if (!fds) return Errno::kESRCH;
  int fd = static_cast<int>(static_cast<u64>(arg) >> 32);
  lib::RefPtr<File> f = fds->Get(fd).value_or(lib::RefPtr<File>());
  if (!f) return Errno::kENOENT;
  u32 flags = f->flags();
  if (fds->GetFdFlags(fd).value_or(0) & kFdCloexec) flags |= o::kCloexec;
  int mnt_id = f->path().mnt ? f->path().mnt->id() : 0;
  u64 ino = f->inode() != nullptr ? f->inode()->ino() : 0;
  out.AppendFormat("pos:\t%ld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%lu\n", static_cast<i64>(f->pos()),
                   flags, mnt_id, ino);
  return Ok();
}

u32 OwnerUid(i64 arg) {
  proc::Task* t = TaskOf(arg);
  return t != nullptr ? t->credentials().euid : 0;
}
u32 OwnerGid(i64 arg) {
  proc::Task* t = TaskOf(arg);
  return t != nullptr ? t->credentials().egid : 0;
}

template <bool kInfo>
Result<lib::RefPtr<Inode>> MakeFdDir(SuperBlock& sb, u64 ino, const TableDir::Entry&, i64 arg) {
  Inode* n = TRY(lib::TryNew<FdDir>(sb, ino, arg, kInfo, OwnerUid(arg), OwnerGid(arg)));
  return lib::AdoptRef(n);
}

// ---- task/ ----

class TaskDir final : public synth::DirInode {
 public:
  TaskDir(SuperBlock& sb, u64 ino, i64 arg) : DirInode(sb, ino), arg_(arg) {}

  Result<lib::RefPtr<Inode>> Lookup(lib::string_view name) override {
    lib::optional<u32> tid = ParseNumber(name);
    proc::Process* p = ProcessOf(arg_);
    if (!tid || p == nullptr) return Errno::kENOENT;
    proc::Task* t = proc::FindTask(static_cast<proc::Pid>(*tid));
    if (t == nullptr || t->process() != p) return Errno::kENOENT;
    return MakePidDir(sb(), PidDirIno(p->pid(), t->tid()), PidArg(p->pid(), t->tid()));
  }

  // Cookies: 0 ".", 1 "..", then 2 + tid.
  Result<void> ReadDir(u64& cookie, DirSink& sink) override {
    if (!EmitDots(sink, cookie, ino(), ino())) return Ok();
    proc::Process* p = ProcessOf(arg_);
    if (p == nullptr) return Ok();
    // Threads in tid order, from the cookie on.
    for (;;) {
      proc::Pid best = 0;
      p->ForEachThread([&](proc::Task& t) {
        if (t.state() == proc::TaskState::kDead && &t != p->leader()) return;
        if (static_cast<u64>(t.tid()) + 2 >= cookie && (best == 0 || t.tid() < best))
          best = t.tid();
      });
      if (best == 0) return Ok();
      char name[12];
      usize n = lib::Snprintf(name, sizeof(name), "%d", best);
      u64 next = static_cast<u64>(best) + 3;
      if (!sink.Emit(lib::string_view(name, n), PidDirIno(p->pid(), best), dt::kDir, next)) {
        return Ok();
      }
      cookie = next;
    }
  }

 private:
  i64 arg_;
};

Result<lib::RefPtr<Inode>> MakeTaskDir(SuperBlock& sb, u64 ino, const TableDir::Entry&, i64 arg) {
  Inode* n = TRY(lib::TryNew<TaskDir>(sb, ino, arg));
  return lib::AdoptRef(n);
}

// ---- the directories ----

#define ARAMID_PROC_COMMON_ENTRIES                                              \
  {"fd", kOwnerDir, &MakeFdDir<false>}, {"fdinfo", kDirMode, &MakeFdDir<true>}, \
      {"environ", kOwnerRo, &TableDir::MakeText, &GenEnviron},                  \
      {"status", kRo, &TableDir::MakeText, &GenStatus},                         \
      {"comm", mode::kRegular | 0644, &TableDir::MakeText, &GenComm},           \
      {"cmdline", kRo, &TableDir::MakeText, &GenCmdline},                       \
      {"stat", kRo, &TableDir::MakeText, &GenStat},                             \
      {"statm", kRo, &TableDir::MakeText, &GenStatm},                           \
      {"maps", kRo, &TableDir::MakeText, &GenMaps},                             \
      {"cwd", kLnk, &MakePlaceLink<PlaceLink::Kind::kCwd>},                     \
      {"root", kLnk, &MakePlaceLink<PlaceLink::Kind::kRoot>},                   \
      {"exe", kLnk, &MakePlaceLink<PlaceLink::Kind::kExe>},                     \
      {"mounts", kRo, &TableDir::MakeText, &GenMounts},                         \
      {"mountinfo", kRo, &TableDir::MakeText, &GenMountInfo}, {                 \
    "smaps_rollup", kOwnerRo, &TableDir::MakeText, &GenSmapsRollup              \
  }

const TableDir::Entry kProcessEntries[] = {
    {"task", kDirMode, &MakeTaskDir},
    ARAMID_PROC_COMMON_ENTRIES,
};
const TableDir::Entry kThreadEntries[] = {ARAMID_PROC_COMMON_ENTRIES};
#undef ARAMID_PROC_COMMON_ENTRIES

class PidDir final : public TableDir {
 public:
  PidDir(SuperBlock& sb, u64 ino, i64 arg, lib::span<const Entry> entries)
      : TableDir(sb, ino, entries, arg), process_(ProcessOf(arg)), task_(TaskOf(arg)) {
    set_owner(OwnerUid(arg), OwnerGid(arg));
    // Two, plus one ".." for each subdirectory [linux fs/proc/base.c pid_entry_nlink].
    u32 links = 2;
    for (const Entry& e : entries) links += IsDir(e.mode) ? 1 : 0;
    set_nlink(links);
  }
  // The process (or thread) is gone, or its number now names another.
  bool Stale() const override {
    return ProcessOf(arg()) != process_ || TaskOf(arg()) != task_ || task_ == nullptr;
  }

 private:
  const proc::Process* process_;  // identity only
  const proc::Task* task_;
};

}  // namespace

Result<lib::RefPtr<Inode>> MakePidDir(SuperBlock& sb, u64 ino, i64 arg) {
  if (TaskOf(arg) == nullptr) return Errno::kENOENT;
  lib::span<const TableDir::Entry> entries = TidOf(arg) == 0
                                                 ? lib::span<const TableDir::Entry>(kProcessEntries)
                                                 : lib::span<const TableDir::Entry>(kThreadEntries);
  Inode* n = TRY(lib::TryNew<PidDir>(sb, ino, arg, entries));
  return lib::AdoptRef(n);
}

}  // namespace kernel::fs::procfs
