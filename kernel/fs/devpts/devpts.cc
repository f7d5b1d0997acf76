#include "kernel/fs/devpts/devpts.h"

#include "kernel/fs/dentry.h"
#include "kernel/fs/devices.h"
#include "kernel/fs/synth/synth.h"
#include "kernel/lib/alloc.h"
#include "kernel/lib/format.h"
#include "kernel/tty/pty.h"

namespace kernel::fs::devpts {
namespace {

// Inode numbers as Linux's devpts gives them: root 1, ptmx 2, slave N is N+3.
constexpr u64 kRootIno = 1;
constexpr u64 kPtmxIno = 2;
constexpr u64 kFirstSlaveIno = 3;

struct Owner {
  u32 uid = 0;
  u32 gid = 0;
};
Owner g_owners[tty::kMaxPtys];

class DevptsSuperBlock final : public synth::SynthSuperBlock {
 public:
  DevptsSuperBlock(const FileSystemType& type, u64 flags)
      : SynthSuperBlock(type, magic::kDevpts, flags) {}

  Result<void> ParseOptions(lib::string_view data) {
    return ForEachMountOption(
        data, [&](lib::string_view key, lib::string_view value) -> Result<void> {
          if (key == "newinstance") return Ok();
          if (key != "uid" && key != "gid" && key != "mode" && key != "ptmxmode" && key != "max") {
            return Errno::kEINVAL;
          }
          const bool octal = key == "mode" || key == "ptmxmode";
          u64 v = TRY(ParseNumber(value, octal ? 8 : 10));
          if (key == "uid") {
            uid_ = static_cast<u32>(v);
            uid_set_ = true;
          } else if (key == "gid") {
            gid_ = static_cast<u32>(v);
            gid_set_ = true;
          } else if (key == "mode") {
            mode_ = static_cast<u32>(v) & mode::kPermMask;
          } else if (key == "ptmxmode") {
            ptmx_mode_ = static_cast<u32>(v) & mode::kPermMask;
          }
          return Ok();
        });
  }
  Result<void> Remount(u64 flags, lib::string_view data) override {
    TRY(ParseOptions(data));
    return SuperBlock::Remount(flags, data);
  }
  // Linux prints uid/gid only when set, mode and ptmxmode always [devpts_show_options].
  void ShowOptions(lib::StringBuilder& out) const override {
    if (uid_set_) out.AppendFormat(",uid=%u", uid_);
    if (gid_set_) out.AppendFormat(",gid=%u", gid_);
    out.AppendFormat(",mode=%03o,ptmxmode=%03o", mode_, ptmx_mode_);
  }

  u32 SlaveUid(u32 index) const { return uid_set_ ? uid_ : g_owners[index].uid; }
  u32 SlaveGid(u32 index) const { return gid_set_ ? gid_ : g_owners[index].gid; }
  u32 mode() const { return mode_; }
  u32 ptmx_mode() const { return ptmx_mode_; }

 private:
  static Result<u64> ParseNumber(lib::string_view s, unsigned base) {
    if (s.empty()) return Errno::kEINVAL;
    u64 v = 0;
    for (char c : s) {
      if (c < '0' || c >= static_cast<char>('0' + base)) return Errno::kEINVAL;
      v = v * base + static_cast<u64>(c - '0');
      if (v > 0xffffffffu) return Errno::kEINVAL;
    }
    return v;
  }

  u32 uid_ = 0;
  u32 gid_ = 0;
  bool uid_set_ = false;
  bool gid_set_ = false;
  u32 mode_ = 0600;
  u32 ptmx_mode_ = 0;
};

// /dev/pts/N: opens through the device registry (136:N, kernel/fs/devfs/tty_files.cc).
class SlaveNode final : public synth::SynthInode {
 public:
  SlaveNode(DevptsSuperBlock& sb, u32 index)
      : SynthInode(sb, kFirstSlaveIno + index, mode::kChar | sb.mode(), sb.SlaveUid(index),
                   sb.SlaveGid(index)),
        index_(index),
        pty_(tty::Pty::Find(index)) {
    set_rdev(MakeDev(devno::kPtsMajor, index));
  }
  // The pair was closed (or replaced by a new one with the same number).
  bool Stale() const override { return pty_ == nullptr || tty::Pty::Find(index_) != pty_; }

 private:
  u32 index_;
  tty::Pty* pty_;  // identity only, never dereferenced
};

class PtmxNode final : public synth::SynthInode {
 public:
  explicit PtmxNode(DevptsSuperBlock& sb) : SynthInode(sb, kPtmxIno, mode::kChar | sb.ptmx_mode()) {
    set_rdev(MakeDev(devno::kTtyAuxMajor, 2));
  }
};

lib::optional<u32> ParseIndex(lib::string_view name) {
  if (name.empty() || name.size() > 9 || (name[0] == '0' && name.size() > 1)) return {};
  u32 v = 0;
  for (char c : name) {
    if (c < '0' || c > '9') return {};
    v = v * 10 + static_cast<u32>(c - '0');
  }
  return v;
}

class Root final : public synth::DirInode {
 public:
  explicit Root(DevptsSuperBlock& sb) : DirInode(sb, kRootIno, 0755) {}
  DevptsSuperBlock& dsb() const { return static_cast<DevptsSuperBlock&>(sb()); }

  Result<lib::RefPtr<Inode>> Lookup(lib::string_view name) override {
    if (name == "ptmx") {
      Inode* n = TRY(lib::TryNew<PtmxNode>(dsb()));
      return lib::AdoptRef(n);
    }
    lib::optional<u32> index = ParseIndex(name);
    if (!index || tty::Pty::Find(*index) == nullptr) return Errno::kENOENT;
    Inode* n = TRY(lib::TryNew<SlaveNode>(dsb(), *index));
    return lib::AdoptRef(n);
  }

  // Cookies: 0 ".", 1 "..", 2 "ptmx", 3+N slave N.
  Result<void> ReadDir(u64& cookie, DirSink& sink) override {
    if (!EmitDots(sink, cookie, ino(), ino())) return Ok();
    if (cookie == 2) {
      if (!sink.Emit("ptmx", kPtmxIno, dt::kChar, 3)) return Ok();
      cookie = 3;
    }
    for (; cookie - 3 < tty::kMaxPtys; ++cookie) {
      u32 index = static_cast<u32>(cookie - 3);
      if (tty::Pty::Find(index) == nullptr) continue;
      char name[12];
      usize n = lib::Snprintf(name, sizeof(name), "%u", index);
      if (!sink.Emit(lib::string_view(name, n), kFirstSlaveIno + index, dt::kChar, cookie + 1)) {
        return Ok();
      }
    }
    return Ok();
  }
};

Result<lib::RefPtr<Dentry>> MountDevpts(const FileSystemType& type, const MountArgs& args) {
  DevptsSuperBlock* sb = TRY(lib::TryNew<DevptsSuperBlock>(type, args.flags));
  lib::RefPtr<SuperBlock> hold = lib::AdoptRef<SuperBlock>(sb);
  TRY(sb->ParseOptions(args.data));
  Inode* root = TRY(lib::TryNew<Root>(*sb));
  return Dentry::CreateRoot(lib::AdoptRef(root));
}

}  // namespace

const FileSystemType kDevptsType{"devpts", false, &MountDevpts};

void OnPtyCreated(u32 index, u32 uid, u32 gid) {
  if (index < tty::kMaxPtys) g_owners[index] = Owner{uid, gid};
}

void OnPtyReleased(u32 index) {
  if (index < tty::kMaxPtys) g_owners[index] = Owner{};
}

}  // namespace kernel::fs::devpts
