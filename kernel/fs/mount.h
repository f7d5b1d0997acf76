#pragma once
/// Mounts and mount namespaces. A Mount attaches a file system's dentry tree (from `root`) at
/// a dentry of another mount; a MountNamespace is the tree of mounts a group of processes
/// sees. Processes share their namespace across fork (it hangs off the FsContext, which fork
/// copies by reference) until one of them unshares it.
///
/// Lifetime: a child mount holds its parent mount and its mountpoint dentry; the namespace
/// holds every attached mount (in the order they were attached, which /proc/mounts shows);
/// a parent knows its children weakly. Paths (open files, cwds) hold the mount they are on,
/// so a lazily unmounted (MNT_DETACH) file system stays usable by whoever still holds it.
#include "kernel/fs/dentry.h"
#include "kernel/lib/intrusive_list.h"
#include "kernel/lib/ref_ptr.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vector.h"

namespace kernel::fs {

class MountNamespace;
struct Path;

class Mount : public lib::RefCounted<Mount> {
 public:
  /// A mount of the tree below `root` (a file system's root dentry, or any dentry of it for
  /// a bind mount). Not yet attached anywhere.
  static Result<lib::RefPtr<Mount>> Create(lib::RefPtr<Dentry> root, u64 flags,
                                           lib::string_view source);
  Mount() = default;
  ~Mount();

  SuperBlock& sb() const { return root_->inode()->sb(); }
  const lib::RefPtr<Dentry>& root() const { return root_; }
  /// The mount this one sits on, or null (a namespace's root, or detached).
  Mount* parent() const { return parent_.get(); }
  const lib::RefPtr<Dentry>& mountpoint() const { return mountpoint_; }
  /// Per-mount flags (ms::kPerMount bits).
  u64 flags() const { return flags_; }
  void set_flags(u64 f) { flags_ = f & ms::kPerMount; }
  bool read_only() const { return (flags_ & ms::kRdOnly) != 0 || sb().read_only(); }
  int id() const { return id_; }
  lib::string_view source() const { return source_.view(); }
  MountNamespace* ns() const { return ns_; }
  bool attached() const { return ns_ != nullptr; }

  /// The topmost mount attached on `d` of this mount, or null.
  Mount* FindChildOn(const Dentry& d) const;
  template <typename Fn>
  void ForEachChild(Fn fn) const {
    for (const Mount& m : children_) fn(const_cast<Mount&>(m));
  }
  bool has_children() const { return !children_.empty(); }
  /// umount2(MNT_EXPIRE): the first call marks the mount and says EAGAIN, the next one
  /// unmounts it. Returns whether it was marked already (and marks it).
  /// TODO(#4): Linux clears the mark whenever the mount is used in between (mntput).
  bool TestAndSetExpiryMark() {
    bool was = expiry_mark_;
    expiry_mark_ = true;
    return was;
  }

  lib::ListNode child_node_;

 private:
  friend class MountNamespace;

  lib::RefPtr<Dentry> root_;
  lib::RefPtr<Mount> parent_;
  lib::RefPtr<Dentry> mountpoint_;
  u64 flags_ = 0;
  int id_ = 0;
  lib::String source_;
  MountNamespace* ns_ = nullptr;
  bool expiry_mark_ = false;
  lib::IntrusiveList<Mount, &Mount::child_node_> children_;
};

class MountNamespace : public lib::RefCounted<MountNamespace> {
 public:
  /// A namespace whose root is `root` (not attached anywhere else).
  static Result<lib::RefPtr<MountNamespace>> Create(lib::RefPtr<Mount> root);
  MountNamespace() = default;
  ~MountNamespace();

  Mount& root() const { return *mounts_[0]; }
  const lib::RefPtr<Mount>& root_ref() const { return mounts_[0]; }

  /// Attaches `m` on dentry `at_dentry` of mount `at`, above whatever is mounted there.
  Result<void> Attach(const lib::RefPtr<Mount>& m, Mount& at, const lib::RefPtr<Dentry>& at_dentry);
  /// MS_MOVE: `m` (attached, not the root) moves with everything below it onto `at_dentry`
  /// of `at`.
  void Move(Mount& m, Mount& at, const lib::RefPtr<Dentry>& at_dentry);
  /// Detaches `m` and every mount below it. Holders keep them alive.
  void Detach(Mount& m);
  /// pivot_root: `new_root` (attached in this namespace) takes the place of `old_root` (the
  /// caller's root mount: the namespace's root, or a mount with a parent), which is attached
  /// on `put_old` (a dentry under new_root, on mount `put_old_mnt`).
  void Pivot(Mount& old_root, Mount& new_root, Mount& put_old_mnt,
             const lib::RefPtr<Dentry>& put_old);

  /// CLONE_NEWNS (copy_mnt_ns): a new namespace holding a copy of every mount of this one,
  /// attached at the same places and stacked in the same order. Each of `paths` on a mount
  /// of this namespace moves to that mount's copy (the caller's root and cwd). ENOMEM leaves
  /// this namespace and `paths` as they were.
  Result<lib::RefPtr<MountNamespace>> Copy(lib::span<Path* const> paths) const;

  /// Every attached mount, root first, in attach order.
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (const lib::RefPtr<Mount>& m : mounts_) fn(*m);
  }
  usize count() const { return mounts_.size(); }

 private:
  void Unlink(Mount& m);

  lib::Vector<lib::RefPtr<Mount>> mounts_;  // [0] is the root
};

}  // namespace kernel::fs
