// /proc/<pid>/mounts and mountinfo: the mounts of the process's namespace that its root can
// reach, with paths as it sees them [man 5 proc "/proc/pid/mountinfo"; linux
// fs/proc_namespace.c show_vfsmnt, show_mountinfo].
#include "kernel/fs/dentry.h"
#include "kernel/fs/fs_context.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/procfs/internal.h"

namespace kernel::fs::procfs {
namespace {

// Spaces, tabs, newlines and backslashes are escaped as octal, as Linux's mangle() does.
void AppendEscaped(lib::StringBuilder& out, lib::string_view s) {
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\\') {
      out.AppendFormat("\\%03o", static_cast<unsigned char>(c));
    } else {
      out.Append(c);
    }
  }
}

// Per-mount options after rw/ro [show_mnt_opts].
void AppendMountFlags(lib::StringBuilder& out, u64 f) {
  if (f & ms::kNoSuid) out.Append(",nosuid");
  if (f & ms::kNoDev) out.Append(",nodev");
  if (f & ms::kNoExec) out.Append(",noexec");
  if (f & ms::kNoAtime) {
    out.Append(",noatime");
  } else if (!(f & ms::kStrictAtime)) {
    out.Append(",relatime");  // the default when neither noatime nor strictatime was asked
  }
  if (f & ms::kNoDirAtime) out.Append(",nodiratime");
  if (f & ms::kNoSymFollow) out.Append(",nosymfollow");
}

// The mount's root within its file system ("/" unless it is a bind of a subdirectory).
Result<lib::String> RootInFileSystem(const Mount& m) {
  const Dentry* names[64];
  usize n = 0;
  for (const Dentry* d = m.root().get(); d != nullptr && !d->is_root() && n < 64; d = d->parent()) {
    names[n++] = d;
  }
  lib::String s;
  if (n == 0) TRY(s.TryAppend('/'));
  while (n-- > 0) {
    TRY(s.TryAppend('/'));
    TRY(s.TryAppend(names[n]->name()));
  }
  return s;
}

template <typename Fn>
Result<void> ForEachVisibleMount(i64 arg, Fn fn) {
  proc::Task* t = TaskOf(arg);
  if (t == nullptr || !t->fs_context()) return Errno::kESRCH;
  lib::RefPtr<FsContext> ctx = t->fs_context();
  const Path& root = ctx->root();
  Result<void> result = Ok();
  ctx->ns().ForEach([&](Mount& m) {
    if (result.is_error()) return;
    Path at{lib::RefPtr<Mount>(&m), m.root()};
    if (!IsReachableFrom(at, root)) return;
    Result<lib::String> where = PathToString(at, root);
    if (where.is_error()) {
      result = where.error();
      return;
    }
    result = fn(m, where.value().view());
  });
  return result;
}

}  // namespace

// "source mountpoint type options 0 0".
Result<void> GenMounts(lib::StringBuilder& out, const Actor&, i64 arg) {
  return ForEachVisibleMount(arg, [&](Mount& m, lib::string_view where) -> Result<void> {
    AppendEscaped(out, m.source().empty() ? lib::string_view("none") : m.source());
    out.Append(' ');
    AppendEscaped(out, where);
    out.AppendFormat(" %s %s", m.sb().type().name, m.read_only() ? "ro" : "rw");
    AppendMountFlags(out, m.flags());
    m.sb().ShowOptions(out);
    out.Append(" 0 0\n");
    return Ok();
  });
}

// "id parent major:minor root mountpoint mount-options - type source super-options". The
// namespace's root mount is its own parent, as Linux shows it inside a chroot'ed namespace.
Result<void> GenMountInfo(lib::StringBuilder& out, const Actor&, i64 arg) {
  return ForEachVisibleMount(arg, [&](Mount& m, lib::string_view where) -> Result<void> {
    lib::String root = TRY(RootInFileSystem(m));
    const int parent = m.parent() != nullptr ? m.parent()->id() : m.id();
    out.AppendFormat("%d %d %u:%u ", m.id(), parent, DevMajor(m.sb().dev()),
                     DevMinor(m.sb().dev()));
    AppendEscaped(out, root.view());
    out.Append(' ');
    AppendEscaped(out, where);
    out.Append((m.flags() & ms::kRdOnly) ? " ro" : " rw");
    AppendMountFlags(out, m.flags());
    out.AppendFormat(" - %s ", m.sb().type().name);
    AppendEscaped(out, m.source().empty() ? lib::string_view("none") : m.source());
    out.Append(m.sb().read_only() ? " ro" : " rw");
    m.sb().ShowOptions(out);
    out.Append('\n');
    return Ok();
  });
}

}  // namespace kernel::fs::procfs
