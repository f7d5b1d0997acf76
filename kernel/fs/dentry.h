#pragma once
/// A Dentry names an inode in its parent directory: the dentry cache. Path walks look names
/// up here first and ask the file system only on a miss; a lookup that finds nothing leaves a
/// negative dentry (no inode), so repeated misses (PATH searches, dynamic loaders probing
/// library directories) stay cheap.
///
/// Lifetime: reference counted. A child holds its parent; a parent knows its cached children
/// only weakly (an intrusive list), and a destroyed child unlinks itself. Open files, cwds,
/// mounts and walks hold the dentries they use; beyond that the cache keeps the most recently
/// used dentries alive in an LRU of bounded size (kCacheSize). Evicting a dentry loses
/// nothing: the file system's directories are the truth, the cache only remembers answers.
///
/// A dentry whose name stops being valid (unlinked, replaced by rename) is unhashed: it leaves
/// its parent's cache and is marked deleted, but holders keep it and its inode.
///
/// Locking: none beyond the kernel's (one CPU, no preemption); nothing here sleeps.
#include "kernel/fs/inode.h"
#include "kernel/lib/intrusive_list.h"
#include "kernel/lib/ref_ptr.h"
#include "kernel/lib/string.h"

namespace kernel::fs {

class Dentry : public lib::RefCounted<Dentry> {
 public:
  /// The root dentry of a new file-system instance, naming `inode`.
  static Result<lib::RefPtr<Dentry>> CreateRoot(lib::RefPtr<Inode> inode);

  /// A dentry below `parent` that is not in the cache and counts as deleted (O_TMPFILE
  /// files, which have no name until linkat gives them one).
  static Result<lib::RefPtr<Dentry>> CreateDetached(Dentry& parent, lib::string_view name,
                                                    lib::RefPtr<Inode> inode);

  Dentry() = default;
  ~Dentry();

  lib::string_view name() const { return name_.view(); }
  /// The parent, or null for a file system's root.
  Dentry* parent() const { return parent_.get(); }
  Inode* inode() const { return inode_.get(); }
  const lib::RefPtr<Inode>& inode_ref() const { return inode_; }
  bool negative() const { return !inode_; }
  bool is_root() const { return !parent_; }
  /// Unlinked or replaced: no longer reachable by its name.
  bool deleted() const { return deleted_; }
  /// How many mounts sit on this dentry.
  u32 mount_count() const { return mounts_; }
  void AddMount() { ++mounts_; }
  void RemoveMount() { --mounts_; }

  /// The child `name` of this directory: from the cache, or looked up in the file system
  /// (and cached, negative if absent). ENOTDIR when this is not a directory; lookup errors
  /// other than ENOENT propagate. `name` is a single component, never "." or "..".
  Result<lib::RefPtr<Dentry>> Lookup(lib::string_view name);
  /// The cached child `name`, or null; never asks the file system.
  lib::RefPtr<Dentry> FindCached(lib::string_view name) const;

  /// A negative dentry becomes positive (after a create).
  void Instantiate(lib::RefPtr<Inode> inode);
  /// The name is gone (unlink, rmdir, replaced by rename): leave the cache, mark deleted.
  void Unhash();
  /// Rename: this dentry now lives in `new_parent` as `new_name` (allocated beforehand, so
  /// that a rename which succeeded in the file system cannot fail here).
  void MoveTo(Dentry& new_parent, lib::String new_name);
  /// Turns a positive dentry negative in place (RENAME_EXCHANGE needs both names to stay).
  void SetInode(lib::RefPtr<Inode> inode) { inode_ = lib::move(inode); }

  /// Whether this dentry is `ancestor` or below it.
  bool IsDescendantOf(const Dentry& ancestor) const;

  /// Bound on the dentries the cache keeps alive when nothing else uses them.
  static constexpr usize kCacheSize = 4096;

 private:
  static Result<lib::RefPtr<Dentry>> CreateChild(Dentry& parent, lib::string_view name,
                                                 lib::RefPtr<Inode> inode);

  lib::String name_;
  lib::RefPtr<Dentry> parent_;
  lib::RefPtr<Inode> inode_;

 public:
  // Intrusive links (the parent's child list and the LRU); public for the list templates.
  lib::ListNode sibling_node_;
  lib::ListNode lru_node_;

 private:
  lib::IntrusiveList<Dentry, &Dentry::sibling_node_> children_;
  u32 mounts_ = 0;
  bool deleted_ = false;
};

namespace dcache {
/// Marks `d` recently used: the cache keeps it alive until kCacheSize newer ones push it out.
void Touch(Dentry& d);
/// Drops every cached dentry that nothing else holds (tests use it to check for leaks, and
/// memory pressure can use it).
void Shrink();
/// Dentries currently held by the LRU.
usize CachedCount();
}  // namespace dcache

}  // namespace kernel::fs
