// tmpfs instances: options, accounting, statfs, and the mount entry points.
#include "kernel/fs/dentry.h"
#include "kernel/fs/tmpfs/tmpfs.h"
#include "kernel/mm/page_alloc.h"

namespace kernel::fs::tmpfs {
namespace {

u64 HalfOfRamPages() { return mm::GetPhysStats().total_pages / 2; }

Result<u64> ParseNumber(lib::string_view s, unsigned base) {
  if (s.empty()) return Errno::kEINVAL;
  u64 v = 0;
  for (char c : s) {
    unsigned d;
    if (c >= '0' && c <= '9') {
      d = static_cast<unsigned>(c - '0');
    } else {
      return Errno::kEINVAL;
    }
    if (d >= base) return Errno::kEINVAL;
    if (lib::MulOverflows(v, u64{base}, &v) || lib::AddOverflows(v, u64{d}, &v)) {
      return Errno::kEINVAL;
    }
  }
  return v;
}

Result<lib::RefPtr<Dentry>> MountTmpfs(const FileSystemType& type, const MountArgs& args) {
  return CreateInstance(type, args);
}

// Linux has one devtmpfs instance: every mount of it (the kernel's at boot, init's
// `mount -t devtmpfs devtmpfs /dev`) shows the same device nodes. Options apply only to the
// first mount, as with Linux's single-instance file systems.
lib::RefPtr<Dentry> g_devtmpfs_root;

Result<lib::RefPtr<Dentry>> MountDevtmpfs(const FileSystemType& type, const MountArgs& args) {
  if (!g_devtmpfs_root) g_devtmpfs_root = TRY(CreateInstance(type, args));
  return g_devtmpfs_root;
}

}  // namespace

void ResetDevtmpfsForTesting() { g_devtmpfs_root = nullptr; }

const FileSystemType kTmpfsType{"tmpfs", false, &MountTmpfs};
const FileSystemType kRamfsType{"ramfs", false, &MountTmpfs};
const FileSystemType kDevtmpfsType{"devtmpfs", false, &MountDevtmpfs};
const FileSystemType kRootfsType{"rootfs", false, &MountTmpfs};

TmpfsSuperBlock::TmpfsSuperBlock(const FileSystemType& type, u64 flags)
    : SuperBlock(type, magic::kTmpfs, flags & ms::kRdOnly),
      max_pages_(HalfOfRamPages()),
      max_inodes_(HalfOfRamPages()) {
  if (&type == &kDevtmpfsType) root_mode_ = 0755;
  if (&type == &kRamfsType || &type == &kRootfsType) root_mode_ = 0755;
}

Result<void> TmpfsSuperBlock::ParseOptions(lib::string_view data, bool remount) {
  // Parse everything first, apply only if all of it is valid.
  u64 max_pages = max_pages_, max_inodes = max_inodes_;
  u32 mode = root_mode_, uid = root_uid_, gid = root_gid_;
  bool size_set = size_set_, inodes_set = inodes_set_;
  Result<void> parsed =
      ForEachMountOption(data, [&](lib::string_view key, lib::string_view value) -> Result<void> {
        if (key == "size") {
          u64 bytes = TRY(ParseSizeOption(value));
          max_pages = (bytes + kPageSize - 1) / kPageSize;
          size_set = true;
        } else if (key == "nr_blocks") {
          max_pages = TRY(ParseSizeOption(value));
          size_set = true;
        } else if (key == "nr_inodes") {
          max_inodes = TRY(ParseSizeOption(value));
          inodes_set = true;
        } else if (key == "mode") {
          u64 m = TRY(ParseNumber(value, 8));
          mode = static_cast<u32>(m & 07777);
        } else if (key == "uid") {
          uid = static_cast<u32>(TRY(ParseNumber(value, 10)));
        } else if (key == "gid") {
          gid = static_cast<u32>(TRY(ParseNumber(value, 10)));
        } else if (key == "huge" || key == "mpol" || key == "inode64" || key == "inode32" ||
                   key == "noswap") {
          // Accepted and meaningless here (no huge pages, NUMA or swap).
        } else {
          return Errno::kEINVAL;
        }
        return Ok();
      });
  if (parsed.is_error()) return parsed.error();
  if (remount) {
    // Shrinking below what is in use fails, as Linux's shmem_reconfigure does.
    if (max_pages < used_pages_ || max_inodes < used_inodes_) return Errno::kEINVAL;
  } else {
    root_mode_ = mode;
    root_uid_ = uid;
    root_gid_ = gid;
  }
  max_pages_ = max_pages;
  max_inodes_ = max_inodes;
  size_set_ = size_set;
  inodes_set_ = inodes_set;
  return Ok();
}

Result<void> TmpfsSuperBlock::Remount(u64 flags, lib::string_view data) {
  TRY(ParseOptions(data, /*remount=*/true));
  return SuperBlock::Remount(flags, data);
}

// As shmem_show_options and ramfs_show_options print them. The instances the kernel makes
// itself (rootfs, devtmpfs) show their size and inode limits, as Linux's do; a mode shows
// when it is not the type's default; tmpfs-based types end with inode64 (64-bit inode
// numbers, the x86_64 default).
void TmpfsSuperBlock::ShowOptions(lib::StringBuilder& out) const {
  const FileSystemType& t = type();
  bool kernel_made = &t == &kRootfsType || &t == &kDevtmpfsType;
  if (size_set_ || kernel_made) {
    out.AppendFormat(",size=%lluk", static_cast<unsigned long long>(max_pages_) * 4);
  }
  if (inodes_set_ || kernel_made) {
    out.AppendFormat(",nr_inodes=%llu", static_cast<unsigned long long>(max_inodes_));
  }
  u32 default_mode = (&t == &kRamfsType || &t == &kRootfsType) ? 0755 : 01777;
  if (root_mode_ != default_mode) out.AppendFormat(",mode=%o", root_mode_);
  if (root_uid_ != 0) out.AppendFormat(",uid=%u", root_uid_);
  if (root_gid_ != 0) out.AppendFormat(",gid=%u", root_gid_);
  if (&t != &kRamfsType) out.Append(",inode64");
}

void TmpfsSuperBlock::StatFs(fs::StatFs& out) const {
  SuperBlock::StatFs(out);
  out.blocks = max_pages_;
  out.bfree = out.bavail = max_pages_ - used_pages_;
  out.files = max_inodes_;
  out.ffree = max_inodes_ - used_inodes_;
}

Result<void> TmpfsSuperBlock::ChargePage() {
  if (used_pages_ >= max_pages_) return Errno::kENOSPC;
  ++used_pages_;
  return Ok();
}

Result<void> TmpfsSuperBlock::ChargeInode() {
  if (used_inodes_ >= max_inodes_) return Errno::kENOSPC;
  ++used_inodes_;
  return Ok();
}

TmpfsInode::TmpfsInode(TmpfsSuperBlock& sb, u32 mode, u32 uid, u32 gid)
    : Inode(sb, sb.AllocateIno(), mode, uid, gid) {}

TmpfsInode::~TmpfsInode() { tsb().UnchargeInode(); }

Result<lib::RefPtr<Dentry>> CreateInstance(const FileSystemType& type, const MountArgs& args) {
  TmpfsSuperBlock* raw = TRY(lib::TryNew<TmpfsSuperBlock>(type, args.flags));
  lib::RefPtr<SuperBlock> sb = lib::AdoptRef<SuperBlock>(raw);
  TRY(raw->ParseOptions(args.data, /*remount=*/false));
  TRY(raw->ChargeInode());
  Result<TmpfsDir*> root = lib::TryNew<TmpfsDir>(*raw, mode::kDirectory | raw->root_mode(),
                                                 raw->root_uid(), raw->root_gid(), u64{0});
  if (root.is_error()) {
    raw->UnchargeInode();
    return root.error();
  }
  lib::RefPtr<Inode> root_inode = lib::AdoptRef<Inode>(root.value());
  return Dentry::CreateRoot(lib::move(root_inode));
}

}  // namespace kernel::fs::tmpfs
