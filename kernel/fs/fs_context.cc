#include "kernel/fs/fs_context.h"

namespace kernel::fs {

Result<lib::RefPtr<FsContext>> FsContext::Create(lib::RefPtr<MountNamespace> ns, Path root) {
  lib::RefPtr<FsContext> c = TRY(lib::TryMakeRef<FsContext>());
  c->ns_ = lib::move(ns);
  c->cwd_ = root;
  c->root_ = lib::move(root);
  return c;
}

Result<lib::RefPtr<FsContext>> FsContext::Clone() const {
  lib::RefPtr<FsContext> c = TRY(lib::TryMakeRef<FsContext>());
  c->ns_ = ns_;
  c->root_ = root_;
  c->cwd_ = cwd_;
  c->umask_ = umask_;
  return c;
}

Result<void> FsContext::UnshareNamespace() {
  Path root = root_;
  Path cwd = cwd_;
  Path* paths[] = {&root, &cwd};
  ns_ = TRY(ns_->Copy(paths));
  root_ = lib::move(root);
  cwd_ = lib::move(cwd);
  return Ok();
}

}  // namespace kernel::fs
