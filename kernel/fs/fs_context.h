#pragma once
/// FsContext: where a process's paths start (Linux's fs_struct): the root (chroot), the
/// current directory and the umask, plus the mount namespace it sees. Shared by tasks cloned
/// with CLONE_FS, copied by fork; the copy shares the mount namespace, as fork does.
#include "kernel/fs/mount.h"
#include "kernel/fs/path.h"
#include "kernel/lib/ref_ptr.h"

namespace kernel::fs {

class FsContext : public lib::RefCounted<FsContext> {
 public:
  /// Root and cwd at `root`, umask 022 (Linux's default for init).
  static Result<lib::RefPtr<FsContext>> Create(lib::RefPtr<MountNamespace> ns, Path root);
  FsContext() = default;

  const Path& root() const { return root_; }
  const Path& cwd() const { return cwd_; }
  void set_root(Path p) { root_ = lib::move(p); }
  void set_cwd(Path p) { cwd_ = lib::move(p); }
  u32 umask() const { return umask_; }
  /// Sets the umask (masked to 0777); returns the old one.
  u32 SetUmask(u32 mask) {
    u32 old = umask_;
    umask_ = mask & 0777;
    return old;
  }
  MountNamespace& ns() const { return *ns_; }
  const lib::RefPtr<MountNamespace>& ns_ref() const { return ns_; }
  void set_ns(lib::RefPtr<MountNamespace> ns) { ns_ = lib::move(ns); }

  /// fork without CLONE_FS: same root, cwd, umask and namespace, no longer shared.
  Result<lib::RefPtr<FsContext>> Clone() const;
  /// CLONE_NEWNS: this context moves to a copy of its mount namespace, its root and cwd to
  /// the copies of their mounts. The caller checks the privilege. ENOMEM changes nothing.
  Result<void> UnshareNamespace();

 private:
  lib::RefPtr<MountNamespace> ns_;
  Path root_;
  Path cwd_;
  u32 umask_ = 022;
};

}  // namespace kernel::fs
