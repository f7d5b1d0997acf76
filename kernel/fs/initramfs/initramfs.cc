#include "kernel/fs/initramfs/initramfs.h"

#include "kernel/debug/log.h"
#include "kernel/fs/attr.h"
#include "kernel/fs/devfs/devfs.h"
#include "kernel/fs/devpts/devpts.h"
#include "kernel/fs/initramfs/cpio.h"
#include "kernel/fs/mount_ops.h"
#include "kernel/fs/namei.h"
#include "kernel/fs/open.h"
#include "kernel/fs/path_walk.h"
#include "kernel/fs/tmpfs/tmpfs.h"
#include "kernel/lib/format.h"
#include "kernel/lib/inflate.h"
#include "kernel/lib/vector.h"

namespace kernel::fs {
namespace {

lib::RefPtr<FsContext> g_init_context;
char g_message[400];

// Applies cpio entries to the file tree the way Linux's init/initramfs.c does: existing
// entries of another type are removed first, hard links are recognised by (dev, ino),
// directory mtimes are set at the very end (creating their children changed them), and an
// entry that cannot be created is reported and skipped rather than fatal. Running out of
// memory or space is fatal.
class Unpacker final : public initramfs::CpioHandler {
 public:
  explicit Unpacker(const Actor& actor) : actor_(actor) {}

  Result<void> Begin(const initramfs::CpioEntry& e) override {
    entry_ = e;
    name_ = TRY(lib::String::TryFrom(e.name));
    file_ = nullptr;
    link_.Clear();
    file_off_ = 0;
    skip_ = false;
    if (e.name.empty()) {
      skip_ = true;
      return Ok();
    }
    u32 type = e.mode & mode::kTypeMask;
    if (type == mode::kRegular) {
      int linked = TRY(MaybeLink());
      if (linked < 0) {
        skip_ = true;
        return Ok();
      }
      u32 flags = o::kWrOnly | o::kCreat | o::kLargeFile | (linked == 1 ? 0 : o::kTrunc);
      if (linked == 0) TRY(CleanPath(type));
      Result<lib::RefPtr<File>> f = Open(actor_, kAtFdCwd, name_.view(), flags, e.mode & 07777);
      if (f.is_error()) return Soft(f.error(), "cannot create");
      file_ = f.release_value();
      TRY(SetOwnerAndMode(false));
      return Ok();
    }
    if (type == mode::kDirectory) {
      Result<void> r = MakeDirectory(actor_, kAtFdCwd, name_.view(), e.mode & 07777);
      if (r.is_error() && r.error() != Errno::kEEXIST)
        return Soft(r.error(), "cannot create directory");
      TRY(SetOwnerAndMode(false));
      lib::String copy = TRY(name_.TryClone());
      TRY(dir_times_.TryPush(DirTime{lib::move(copy), e.mtime}));
      return Ok();
    }
    if (type == mode::kSymlink) {
      if (e.size >= kPathMax) return Soft(Errno::kENAMETOOLONG, "symlink target too long");
      return Ok();  // the target arrives as data
    }
    if (type == mode::kChar || type == mode::kBlock || type == mode::kFifo ||
        type == mode::kSocket) {
      int linked = TRY(MaybeLink());
      if (linked != 0) return Ok();
      TRY(CleanPath(type));
      Result<void> r =
          MakeNode(actor_, kAtFdCwd, name_.view(), e.mode, MakeDev(e.rdev_major, e.rdev_minor));
      if (r.is_error()) return Soft(r.error(), "cannot create node");
      TRY(SetOwnerAndMode(false));
      TRY(SetTime(false));
      return Ok();
    }
    return Soft(Errno::kEINVAL, "unknown file type");
  }

  Result<void> Data(const u8* data, usize n) override {
    if (skip_) return Ok();
    if ((entry_.mode & mode::kTypeMask) == mode::kSymlink) {
      return link_.TryAppend(lib::string_view(reinterpret_cast<const char*>(data), n));
    }
    if (!file_) return Ok();
    u64 off = file_off_;
    Result<usize> w = file_->Write(IoBuffer::KernelConst(data, n), off);
    if (w.is_error()) {
      file_ = nullptr;
      return Soft(w.error(), "cannot write");
    }
    file_off_ = off;
    return Ok();
  }

  Result<void> End() override {
    if (skip_) return Ok();
    u32 type = entry_.mode & mode::kTypeMask;
    if (type == mode::kRegular && file_) {
      file_ = nullptr;
      return SetTime(true);
    }
    if (type == mode::kSymlink) {
      TRY(CleanPath(type));
      Result<void> r = Symlink(actor_, link_.view(), kAtFdCwd, name_.view());
      if (r.is_error()) return Soft(r.error(), "cannot create symlink");
      TRY(SetOwnerAndMode(true));
      return SetTime(false);
    }
    return Ok();
  }

  Result<void> FinishDirTimes() {
    for (usize i = dir_times_.size(); i > 0; --i) {
      const DirTime& d = dir_times_[i - 1];
      Result<Path> p = ResolvePath(actor_, kAtFdCwd, d.name.view(), 0);
      if (p.is_error()) continue;
      Timespec t[2] = {{d.mtime, 0}, {d.mtime, 0}};
      (void)SetTimes(actor_, p.value(), t);
    }
    return Ok();
  }

 private:
  struct HardLink {
    u32 ino;
    u32 major;
    u32 minor;
    u32 mode;
    lib::String name;
  };
  struct DirTime {
    lib::String name;
    i64 mtime;
  };

  // Per-entry failures are reported and skipped, as Linux does; exhaustion is fatal.
  Result<void> Soft(Errno e, const char* what) {
    if (e == Errno::kENOMEM || e == Errno::kENOSPC) return e;
    LOG_WARN("initramfs: %s '%s': errno %d; skipped\n", what, name_.c_str(), ToInt(e));
    skip_ = true;
    return Ok();
  }

  // Removes an existing entry whose type differs (clean_path).
  Result<void> CleanPath(u32 type) {
    Result<Path> p = ResolvePath(actor_, kAtFdCwd, name_.view(), 0);
    if (p.is_error()) return Ok();
    u32 existing = p.value().inode()->type();
    p = Result<Path>(Errno::kENOENT);  // drop our references before removing
    if (existing == type) return Ok();
    (void)Unlink(actor_, kAtFdCwd, name_.view(), existing == mode::kDirectory ? at::kRemoveDir : 0);
    return Ok();
  }

  // Hard links (maybe_link): 1 when this entry became a link to an earlier one, 0 when it is
  // new, -1 when linking failed (skipped).
  Result<int> MaybeLink() {
    if (entry_.nlink < 2) return 0;
    for (const HardLink& h : links_) {
      if (h.ino == entry_.ino && h.major == entry_.dev_major && h.minor == entry_.dev_minor &&
          ((h.mode ^ entry_.mode) & mode::kTypeMask) == 0) {
        TRY(CleanPath(0));
        Result<void> r = Link(actor_, kAtFdCwd, h.name.view(), kAtFdCwd, name_.view(), 0);
        if (r.is_error()) {
          TRY(Soft(r.error(), "cannot link"));
          return -1;
        }
        return 1;
      }
    }
    lib::String copy = TRY(name_.TryClone());
    TRY(links_.TryPush(
        HardLink{entry_.ino, entry_.dev_major, entry_.dev_minor, entry_.mode, lib::move(copy)}));
    return 0;
  }

  Result<void> SetOwnerAndMode(bool symlink) {
    Result<Path> p = ResolvePath(actor_, kAtFdCwd, name_.view(), 0);
    if (p.is_error()) return Ok();
    (void)ChangeOwner(actor_, p.value(), entry_.uid, entry_.gid);
    if (!symlink) (void)ChangeMode(actor_, p.value(), entry_.mode & 07777);
    return Ok();
  }

  Result<void> SetTime(bool follow) {
    Result<Path> p = ResolvePath(actor_, kAtFdCwd, name_.view(), follow ? walk::kFollow : 0);
    if (p.is_error()) return Ok();
    Timespec t[2] = {{entry_.mtime, 0}, {entry_.mtime, 0}};
    (void)SetTimes(actor_, p.value(), t);
    return Ok();
  }

  const Actor& actor_;
  initramfs::CpioEntry entry_{};
  lib::String name_;
  lib::RefPtr<File> file_;
  u64 file_off_ = 0;
  lib::String link_;
  bool skip_ = false;
  lib::Vector<HardLink> links_;
  lib::Vector<DirTime> dir_times_;
};

const char* DescribeUnknown(lib::span<const u8> in) {
  auto starts = [&](const char* magic, usize n) {
    return in.size() >= n && __builtin_memcmp(in.data(), magic, n) == 0;
  };
  if (starts("\xfd"
             "7zXZ",
             5))
    return "xz";
  if (starts("\x28\xb5\x2f\xfd", 4)) return "zstd";
  if (starts("BZh", 3)) return "bzip2";
  if (starts("\x02\x21\x4c\x18", 4)) return "lz4";
  if (starts("\x89LZO", 4)) return "lzo";
  // NOLINTNEXTLINE(bugprone-string-literal-with-embedded-nul): all 3 bytes count
  if (starts("\x5d\x00\x00", 3)) return "lzma";
  return nullptr;
}

struct Unpack {
  Unpacker unpacker;
  initramfs::CpioParser parser;
  explicit Unpack(const Actor& actor) : unpacker(actor), parser(unpacker) {}
};

Result<void> FeedFromGzip(void* ctx, const u8* data, usize n) {
  auto* u = static_cast<Unpack*>(ctx);
  usize used = TRY(u->parser.Feed(data, n));
  if (used < n) {
    lib::Snprintf(g_message, sizeof(g_message),
                  "data that is not cpio follows the archive inside gzip data (after entry '%s')",
                  u->parser.current_name());
    return Errno::kEINVAL;
  }
  return Ok();
}

Result<void> UnpackInto(Unpack& u, lib::span<const u8> archive) {
  usize pos = 0;
  while (pos < archive.size()) {
    if (archive[pos] == 0) {
      ++pos;  // padding between archives
      continue;
    }
    lib::span<const u8> rest = archive.subspan(pos);
    if (lib::IsGzip(rest)) {
      const char* err = nullptr;
      g_message[0] = '\0';
      Result<usize> used = lib::Gunzip(rest, &FeedFromGzip, &u, &err);
      if (used.is_error()) {
        if (g_message[0] != '\0') return used.error();
        if (u.parser.message()[0] != '\0') {
          lib::Snprintf(g_message, sizeof(g_message), "%s", u.parser.message());
        } else {
          lib::Snprintf(g_message, sizeof(g_message),
                        "bad gzip data at offset %zu (%s), in or after entry '%s'", pos,
                        err != nullptr ? err : "error", u.parser.current_name());
        }
        return used.error();
      }
      pos += used.value();
      continue;
    }
    if (rest[0] == '0') {
      Result<usize> used = u.parser.Feed(rest.data(), rest.size());
      if (used.is_error()) {
        lib::Snprintf(g_message, sizeof(g_message), "%s", u.parser.message());
        return used.error();
      }
      pos += used.value();
      continue;
    }
    const char* format = DescribeUnknown(rest);
    if (format != nullptr) {
      lib::Snprintf(g_message, sizeof(g_message),
                    "%s-compressed data at offset %zu: only gzip is supported", format, pos);
    } else {
      lib::Snprintf(g_message, sizeof(g_message),
                    "unrecognised data at offset %zu (after entry '%s'): not cpio or gzip", pos,
                    u.parser.current_name());
    }
    return Errno::kEINVAL;
  }
  Result<void> done = u.parser.Finish();
  if (done.is_error()) {
    lib::Snprintf(g_message, sizeof(g_message), "%s", u.parser.message());
    return done;
  }
  return u.unpacker.FinishDirTimes();
}

Result<void> EnsureDir(const Actor& actor, const char* path) {
  Result<void> r = MakeDirectory(actor, kAtFdCwd, path, 0755);
  if (r.is_error() && r.error() != Errno::kEEXIST) return r;
  return Ok();
}

// What an init mounts first, as the images' sysinit does: devtmpfs on /dev, devpts on
// /dev/pts, proc and sysfs.
Result<void> MountInitFileSystemsAs(const Actor& actor) {
  TRY(EnsureDir(actor, "/dev"));
  TRY(MountFileSystem(actor, tmpfs::kDevtmpfsType, "devtmpfs", "/dev", 0, "mode=0755"));
  // The pseudo-terminal slaves, with the owners and modes distributions mount it with (group
  // 5 is "tty" in Alpine's and Debian's /etc/group).
  TRY(MountFileSystem(actor, devpts::kDevptsType, "devpts", "/dev/pts", ms::kNoSuid | ms::kNoExec,
                      "gid=5,mode=620,ptmxmode=000"));
  struct Pseudo {
    const char* type;
    const char* dir;
  };
  for (Pseudo p : {Pseudo{"proc", "/proc"}, Pseudo{"sysfs", "/sys"}}) {
    const FileSystemType* type = FindFileSystem(p.type);
    if (type == nullptr) continue;
    TRY(EnsureDir(actor, p.dir));
    TRY(MountFileSystem(actor, *type, p.type, p.dir, ms::kNoSuid | ms::kNoDev | ms::kNoExec, ""));
  }
  return Ok();
}

}  // namespace

Result<void> UnpackArchive(const Actor& actor, lib::span<const u8> archive, const char** message) {
  g_message[0] = '\0';
  Unpack* u = TRY(lib::TryNew<Unpack>(actor));
  Result<void> r = UnpackInto(*u, archive);
  lib::Delete(u);
  if (r.is_error() && message != nullptr) {
    *message = g_message[0] != '\0' ? g_message : "out of memory";
  }
  return r;
}

Result<void> MountRootFromInitramfs(lib::span<const u8> archive) {
  lib::RefPtr<FsContext> ctx = TRY(CreateRootContext(tmpfs::kRootfsType, "mode=0755", "rootfs"));
  Actor actor{nullptr, ctx.get(), nullptr, Credentials::Root()};
  u32 old_umask = ctx->SetUmask(0);
  if (archive.empty()) {
    LOG_WARN("initramfs: no archive; the root file system is empty\n");
  } else {
    const char* message = nullptr;
    Result<void> r = UnpackArchive(actor, archive, &message);
    if (r.is_error()) {
      LOG_ERROR("initramfs: %s\n", message != nullptr ? message : "failed");
      return r;
    }
  }
  // Linux mounts nothing over an initramfs: init mounts /dev, /proc, /sys and /dev/pts (the
  // images' sysinit, the test init; MountInitFileSystems for hostsim's runner). The one
  // devtmpfs instance is filled now, so that it has its nodes whenever it is mounted.
  MountArgs dev_args{"devtmpfs", 0, "mode=0755"};
  lib::RefPtr<Dentry> dev_root = TRY(tmpfs::kDevtmpfsType.mount(tmpfs::kDevtmpfsType, dev_args));
  TRY(devfs::Populate(Path{nullptr, dev_root}));
  ctx->SetUmask(old_umask);
  g_init_context = lib::move(ctx);
  LOG_INFO("initramfs: root file system ready\n");
  return Ok();
}

lib::RefPtr<FsContext> InitFsContext() { return g_init_context; }

Result<void> MountInitFileSystems() {
  if (!g_init_context) return Errno::kENOENT;
  lib::RefPtr<FsContext> ctx = g_init_context;
  Actor actor{nullptr, ctx.get(), nullptr, Credentials::Root()};
  u32 old_umask = ctx->SetUmask(0);
  Result<void> r = MountInitFileSystemsAs(actor);
  ctx->SetUmask(old_umask);
  return r;
}

void ResetInitFsContextForTesting() {
  g_init_context = nullptr;
  tmpfs::ResetDevtmpfsForTesting();
}

Result<void> OpenInitConsole(FdTable& fds) {
  if (!g_init_context) return Errno::kENOENT;
  Actor actor{nullptr, g_init_context.get(), &fds, Credentials::Root()};
  Result<lib::RefPtr<File>> console = Open(actor, kAtFdCwd, "/dev/console", o::kRdWr, 0);
  if (console.is_error()) {
    LOG_WARN("initramfs: unable to open an initial console (errno %d)\n", ToInt(console.error()));
    return console.error();
  }
  for (int fd = 0; fd < 3; ++fd) TRY(fds.InstallAt(fd, console.value(), 0));
  return Ok();
}

}  // namespace kernel::fs
