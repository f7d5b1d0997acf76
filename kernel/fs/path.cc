#include "kernel/fs/path.h"

#include "kernel/lib/vector.h"

namespace kernel::fs {
namespace {

// Walks from `p` towards `root` (crossing mounts upwards), calling fn(name) for each
// component on the way; returns whether `root` was reached.
template <typename Fn>
bool WalkUp(const Path& p, const Path& root, Fn fn) {
  Mount* mnt = p.mnt.get();
  Dentry* d = p.dentry.get();
  for (;;) {
    if (mnt == root.mnt.get() && d == root.dentry.get()) return true;
    if (d == mnt->root().get()) {
      if (mnt->parent() == nullptr) return false;
      d = mnt->mountpoint().get();
      mnt = mnt->parent();
      continue;
    }
    if (d->parent() == nullptr) return false;
    fn(d->name());
    d = d->parent();
  }
}

}  // namespace

bool IsReachableFrom(const Path& p, const Path& root) {
  return WalkUp(p, root, [](lib::string_view) {});
}

Result<lib::String> PathToString(const Path& p, const Path& root) {
  lib::Vector<lib::string_view> parts;
  bool failed = false;
  WalkUp(p, root, [&](lib::string_view name) {
    if (parts.TryPush(name).is_error()) failed = true;
  });
  if (failed) return Errno::kENOMEM;
  lib::StringBuilder sb;
  if (parts.empty()) sb.Append('/');
  for (usize i = parts.size(); i > 0; --i) {
    sb.Append('/');
    sb.Append(parts[i - 1]);
  }
  if (p.dentry->deleted()) sb.Append(" (deleted)");
  return sb.Finish();
}

}  // namespace kernel::fs
