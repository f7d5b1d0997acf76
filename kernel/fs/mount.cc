#include "kernel/fs/mount.h"

#include "kernel/fs/path.h"

namespace kernel::fs {
namespace {
int g_next_mount_id = 1;
}  // namespace

Result<lib::RefPtr<Mount>> Mount::Create(lib::RefPtr<Dentry> root, u64 flags,
                                         lib::string_view source) {
  lib::RefPtr<Mount> m = TRY(lib::TryMakeRef<Mount>());
  TRY(m->source_.TryAssign(source));
  m->root_ = lib::move(root);
  m->flags_ = flags & ms::kPerMount;
  m->id_ = g_next_mount_id++;
  return m;
}

Mount::~Mount() { ARAMID_DEBUG_ASSERT(children_.empty(), "mount %d destroyed with children", id_); }

Mount* Mount::FindChildOn(const Dentry& d) const {
  // The last one attached is on top.
  for (auto it = children_.end(); it != children_.begin();) {
    --it;
    if (it->mountpoint_.get() == &d) return const_cast<Mount*>(&*it);
  }
  return nullptr;
}

Result<lib::RefPtr<MountNamespace>> MountNamespace::Create(lib::RefPtr<Mount> root) {
  lib::RefPtr<MountNamespace> ns = TRY(lib::TryMakeRef<MountNamespace>());
  root->ns_ = ns.get();
  TRY(ns->mounts_.TryPush(lib::move(root)));
  return ns;
}

MountNamespace::~MountNamespace() {
  while (mounts_.size() > 1) Unlink(*mounts_.back());
  if (!mounts_.empty()) mounts_[0]->ns_ = nullptr;
}

Result<void> MountNamespace::Attach(const lib::RefPtr<Mount>& m, Mount& at,
                                    const lib::RefPtr<Dentry>& at_dentry) {
  TRY(mounts_.TryPush(m));
  m->parent_ = lib::RefPtr<Mount>(&at);
  m->mountpoint_ = at_dentry;
  m->ns_ = this;
  at.children_.PushBack(*m);
  at_dentry->AddMount();
  return Ok();
}

Result<lib::RefPtr<MountNamespace>> MountNamespace::Copy(lib::span<Path* const> paths) const {
  // Breadth first, so that a mount is copied after its parent, and each parent's children in
  // their order, so that mounts stacked on one dentry stay stacked the same way.
  lib::Vector<lib::RefPtr<Mount>> originals;
  lib::Vector<lib::RefPtr<Mount>> copies;
  TRY(originals.TryReserve(mounts_.size()));
  TRY(copies.TryReserve(mounts_.size()));
  const Mount& old_root = root();
  lib::RefPtr<Mount> new_root =
      TRY(Mount::Create(old_root.root(), old_root.flags(), old_root.source()));
  lib::RefPtr<MountNamespace> ns = TRY(Create(new_root));
  originals.TryPush(mounts_[0]).value();
  copies.TryPush(lib::move(new_root)).value();
  for (usize i = 0; i < originals.size(); ++i) {
    Result<void> copied = Ok();
    originals[i]->ForEachChild([&](Mount& child) {
      if (copied.is_error()) return;
      Result<lib::RefPtr<Mount>> c = Mount::Create(child.root(), child.flags(), child.source());
      if (c.is_error()) {
        copied = c.error();
        return;
      }
      copied = ns->Attach(c.value(), *copies[i], child.mountpoint());
      if (copied.is_error()) return;
      // Both have room for every mount of this namespace.
      originals.TryPush(lib::RefPtr<Mount>(&child)).value();
      copies.TryPush(lib::move(c.value())).value();
    });
    TRY(copied);
  }
  // /proc/mounts lists the copies in the order it listed the originals.
  lib::Vector<lib::RefPtr<Mount>> ordered;
  TRY(ordered.TryReserve(copies.size()));
  for (const lib::RefPtr<Mount>& m : mounts_) {
    for (usize i = 0; i < originals.size(); ++i) {
      if (originals[i] == m) ordered.TryPush(copies[i]).value();
    }
  }
  if (ordered.size() == ns->mounts_.size()) ns->mounts_ = lib::move(ordered);
  for (Path* p : paths) {
    for (usize i = 0; i < originals.size(); ++i) {
      if (p->mnt == originals[i]) {
        p->mnt = copies[i];
        break;
      }
    }
  }
  return ns;
}

void MountNamespace::Move(Mount& m, Mount& at, const lib::RefPtr<Dentry>& at_dentry) {
  lib::RefPtr<Mount> keep(&m);
  m.parent_->children_.Remove(m);
  m.mountpoint_->RemoveMount();
  m.parent_ = lib::RefPtr<Mount>(&at);
  m.mountpoint_ = at_dentry;
  at.children_.PushBack(m);
  at_dentry->AddMount();
}

void MountNamespace::Unlink(Mount& m) {
  lib::RefPtr<Mount> keep(&m);
  if (m.child_node_.linked()) m.parent_->children_.Remove(m);
  if (m.mountpoint_) m.mountpoint_->RemoveMount();
  m.parent_ = nullptr;
  m.mountpoint_ = nullptr;
  m.ns_ = nullptr;
  mounts_.EraseIf([&](const lib::RefPtr<Mount>& x) { return x.get() == &m; });
}

void MountNamespace::Detach(Mount& m) {
  lib::RefPtr<Mount> keep(&m);
  while (m.has_children()) {
    Mount* child = nullptr;
    m.ForEachChild([&](Mount& c) { child = &c; });
    Detach(*child);
  }
  Unlink(m);
}

void MountNamespace::Pivot(Mount& old_root, Mount& new_root, Mount& put_old_mnt,
                           const lib::RefPtr<Dentry>& put_old) {
  lib::RefPtr<Mount> keep_new(&new_root);
  lib::RefPtr<Mount> keep_old(&old_root);
  // new_root leaves its place in the tree...
  new_root.parent_->children_.Remove(new_root);
  new_root.mountpoint_->RemoveMount();
  if (old_root.parent_ == nullptr) {
    // ...and becomes the namespace's root...
    new_root.parent_ = nullptr;
    new_root.mountpoint_ = nullptr;
    for (usize i = 0; i < mounts_.size(); ++i) {
      if (mounts_[i].get() == &new_root) {
        lib::swap(mounts_[0], mounts_[i]);
        break;
      }
    }
  } else {
    // ...or takes the old root's place on its parent [linux pivot_root: attach_mnt(new_mnt,
    // root_parent, root_mp)].
    Mount& root_parent = *old_root.parent_;
    lib::RefPtr<Dentry> root_mp = old_root.mountpoint_;
    root_parent.children_.Remove(old_root);
    new_root.parent_ = lib::RefPtr<Mount>(&root_parent);
    new_root.mountpoint_ = lib::move(root_mp);
    root_parent.children_.PushBack(new_root);
    // The mount count of root_mp moves from the old root to the new one: unchanged.
  }
  // The old root goes under new_root, at put_old.
  old_root.parent_ = lib::RefPtr<Mount>(&put_old_mnt);
  old_root.mountpoint_ = put_old;
  put_old_mnt.children_.PushBack(old_root);
  put_old->AddMount();
}

}  // namespace kernel::fs
