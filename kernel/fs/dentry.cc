#include "kernel/fs/dentry.h"

namespace kernel::fs {
namespace {

// The LRU of recently used dentries. It holds one reference to each (taken in Touch, given
// back on eviction), which is what keeps unused dentries cached.
lib::IntrusiveList<Dentry, &Dentry::lru_node_> g_lru;
usize g_lru_count = 0;

void DropFromLru(Dentry& d) {
  g_lru.Remove(d);
  --g_lru_count;
  lib::RefPtr<Dentry>::FromLeaked(&d).reset();
}

}  // namespace

Result<lib::RefPtr<Dentry>> Dentry::CreateRoot(lib::RefPtr<Inode> inode) {
  lib::RefPtr<Dentry> d = TRY(lib::TryMakeRef<Dentry>());
  TRY(d->name_.TryAssign("/"));
  d->inode_ = lib::move(inode);
  return d;
}

Result<lib::RefPtr<Dentry>> Dentry::CreateChild(Dentry& parent, lib::string_view name,
                                                lib::RefPtr<Inode> inode) {
  lib::RefPtr<Dentry> d = TRY(lib::TryMakeRef<Dentry>());
  TRY(d->name_.TryAssign(name));
  d->parent_ = lib::RefPtr<Dentry>(&parent);
  d->inode_ = lib::move(inode);
  bool cache = d->inode_ || parent.inode_->sb().cache_negative_dentries();
  if (cache) {
    parent.children_.PushBack(*d);
    dcache::Touch(*d);
  }
  return d;
}

Result<lib::RefPtr<Dentry>> Dentry::CreateDetached(Dentry& parent, lib::string_view name,
                                                   lib::RefPtr<Inode> inode) {
  lib::RefPtr<Dentry> d = TRY(lib::TryMakeRef<Dentry>());
  TRY(d->name_.TryAssign(name));
  d->parent_ = lib::RefPtr<Dentry>(&parent);
  d->inode_ = lib::move(inode);
  d->deleted_ = true;
  return d;
}

Dentry::~Dentry() {
  ARAMID_DEBUG_ASSERT(children_.empty(), "dentry %s destroyed with children", name_.c_str());
  if (sibling_node_.linked()) parent_->children_.Remove(*this);
}

lib::RefPtr<Dentry> Dentry::FindCached(lib::string_view name) const {
  for (const Dentry& c : children_) {
    if (c.name_.view() == name) return lib::RefPtr<Dentry>(const_cast<Dentry*>(&c));
  }
  return nullptr;
}

Result<lib::RefPtr<Dentry>> Dentry::Lookup(lib::string_view name) {
  if (!inode_ || !inode_->is_dir()) return Errno::kENOTDIR;
  if (lib::RefPtr<Dentry> cached = FindCached(name)) {
    if (!cached->inode_ || !cached->inode_->Stale()) {
      dcache::Touch(*cached);
      return cached;
    }
    cached->Unhash();  // the object it named is gone: ask again
  }
  lib::RefPtr<Inode> child;
  Result<lib::RefPtr<Inode>> r = inode_->Lookup(name);
  if (r.ok()) {
    child = r.release_value();
  } else if (r.error() != Errno::kENOENT) {
    return r.error();
  }
  return CreateChild(*this, name, lib::move(child));
}

void Dentry::Instantiate(lib::RefPtr<Inode> inode) {
  inode_ = lib::move(inode);
  if (!sibling_node_.linked() && !deleted_ && parent_) {
    // A negative dentry the file system did not want cached is now worth caching.
    if (!parent_->FindCached(name_.view())) {
      parent_->children_.PushBack(*this);
      dcache::Touch(*this);
    }
  }
}

void Dentry::Unhash() {
  lib::RefPtr<Dentry> self(this);  // the LRU's reference may be the last but one
  if (sibling_node_.linked()) parent_->children_.Remove(*this);
  deleted_ = true;
  if (lru_node_.linked()) DropFromLru(*this);
}

void Dentry::MoveTo(Dentry& new_parent, lib::String new_name) {
  if (sibling_node_.linked()) parent_->children_.Remove(*this);
  name_ = lib::move(new_name);
  parent_ = lib::RefPtr<Dentry>(&new_parent);
  new_parent.children_.PushBack(*this);
  deleted_ = false;
}

bool Dentry::IsDescendantOf(const Dentry& ancestor) const {
  for (const Dentry* d = this; d != nullptr; d = d->parent_.get()) {
    if (d == &ancestor) return true;
  }
  return false;
}

namespace dcache {

void Touch(Dentry& d) {
  if (d.lru_node_.linked()) {
    g_lru.Remove(d);
    g_lru.PushBack(d);
    return;
  }
  d.AddRef();
  g_lru.PushBack(d);
  ++g_lru_count;
  while (g_lru_count > Dentry::kCacheSize) DropFromLru(*g_lru.begin());
}

void Shrink() {
  // Dropping a child's LRU reference can free it, which may free its parent in turn; parents
  // still on the LRU are dropped when their turn comes.
  while (!g_lru.empty()) DropFromLru(*g_lru.begin());
}

usize CachedCount() { return g_lru_count; }

}  // namespace dcache
}  // namespace kernel::fs
