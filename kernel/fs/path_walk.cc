#include "kernel/fs/path_walk.h"

#include "kernel/fs/permission.h"

namespace kernel::fs {

Walker::Walker(const Actor& actor, u32 flags) : actor_(actor), flags_(flags) {}

Result<void> Walker::Init(Path start, lib::string_view path) {
  root_ = (flags_ & (walk::kInRoot | walk::kBeneath)) ? start : actor_.fs->root();
  if (!path.empty() && path[0] == '/') {
    if (flags_ & walk::kBeneath) return Errno::kEXDEV;
    cur_ = root_;
  } else {
    cur_ = lib::move(start);
  }
  frames_.Clear();
  TRY(frames_.TryPush(Frame{lib::String(), path, 0}));
  links_ = 0;
  last_kind_ = LastKind::kNone;
  must_be_dir_ = (flags_ & walk::kDirectory) != 0;
  last_len_ = 0;
  return Ok();
}

Result<void> Walker::Start(int dirfd, lib::string_view path) {
  if (path.empty()) {
    if (!(flags_ & walk::kEmptyPath)) return Errno::kENOENT;
    Path start = TRY(actor_.StartOf(dirfd, /*require_dir=*/false));
    return Init(lib::move(start), path);
  }
  if (path.size() >= kPathMax) return Errno::kENAMETOOLONG;
  if (path[0] == '/' && !(flags_ & (walk::kInRoot | walk::kBeneath))) {
    return Init(actor_.fs->root(), path);
  }
  Path start = TRY(actor_.StartOf(dirfd, /*require_dir=*/true));
  return Init(lib::move(start), path);
}

Result<void> Walker::StartAt(const Path& start, lib::string_view path) {
  if (path.empty() && !(flags_ & walk::kEmptyPath)) return Errno::kENOENT;
  return Init(start, path);
}

Result<lib::string_view> Walker::NextComponent(bool& is_last, bool& trailing) {
  for (;;) {
    if (frames_.empty()) return lib::string_view();
    Frame& f = frames_.back();
    while (f.pos < f.text.size() && f.text[f.pos] == '/') ++f.pos;
    if (f.pos == f.text.size()) {
      frames_.PopBack();
      continue;
    }
    usize end = f.pos;
    while (end < f.text.size() && f.text[end] != '/') ++end;
    lib::string_view name = f.text.substr(f.pos, end - f.pos);
    if (name.size() > kNameMax) return Errno::kENAMETOOLONG;
    f.pos = end;
    // Last when nothing but slashes is left in any frame.
    is_last = true;
    trailing = false;
    for (const Frame& g : frames_) {
      for (usize i = g.pos; i < g.text.size(); ++i) {
        if (g.text[i] != '/') {
          is_last = false;
          break;
        }
        trailing = true;
      }
      if (!is_last) break;
    }
    return name;
  }
}

Result<void> Walker::CheckSearch() { return CheckPermission(actor_.cred, *cur_.inode(), kMayExec); }

Result<void> Walker::CrossDown(Path& p) {
  while (p.dentry->mount_count() > 0) {
    Mount* m = p.mnt->FindChildOn(*p.dentry);
    if (m == nullptr) break;
    if (flags_ & walk::kNoXdev) return Errno::kEXDEV;
    p.mnt = lib::RefPtr<Mount>(m);
    p.dentry = m->root();
  }
  return Ok();
}

Result<void> Walker::GoUp() {
  for (;;) {
    if (cur_ == root_) {
      // ".." at the root stays there; RESOLVE_BENEATH refuses to try [man 2 openat2].
      if (flags_ & walk::kBeneath) return Errno::kEXDEV;
      return Ok();
    }
    if (cur_.dentry == cur_.mnt->root()) {
      Mount* parent = cur_.mnt->parent();
      if (parent == nullptr) return Ok();  // the namespace root, or a detached mount
      if (flags_ & walk::kNoXdev) return Errno::kEXDEV;
      Path up{lib::RefPtr<Mount>(parent), cur_.mnt->mountpoint()};
      cur_ = lib::move(up);
      continue;
    }
    break;
  }
  if (Dentry* p = cur_.dentry->parent()) cur_.dentry = lib::RefPtr<Dentry>(p);
  return CrossDown(cur_);
}

Result<lib::optional<Path>> Walker::PushLink(const Path& link) {
  if (flags_ & walk::kNoSymlinks) return Errno::kELOOP;
  if (link.mnt && (link.mnt->flags() & ms::kNoSymFollow)) return Errno::kELOOP;
  if (++links_ > kMaxSymlinks) return Errno::kELOOP;
  LinkTarget target = TRY(link.inode()->GetLink(actor_));
  if (target.is_jump()) {
    // A magic link: refused outright, or when it leaves the mount, or in a scoped walk,
    // which it could escape [linux fs/namei.c nd_jump_link].
    if (flags_ & walk::kNoMagicLinks) return Errno::kELOOP;
    if ((flags_ & walk::kNoXdev) && target.jump.mnt != cur_.mnt) return Errno::kEXDEV;
    if (flags_ & (walk::kBeneath | walk::kInRoot)) return Errno::kEXDEV;
    return lib::optional<Path>(lib::move(target.jump));
  }
  if (target.text.empty()) return Errno::kENOENT;
  if (target.text[0] == '/') {
    // An absolute link jumps to the root: out of RESOLVE_BENEATH, and across mounts unless
    // the walk is already on the root's [linux nd_jump_root].
    if (flags_ & walk::kBeneath) return Errno::kEXDEV;
    if ((flags_ & walk::kNoXdev) && cur_.mnt != root_.mnt) return Errno::kEXDEV;
    cur_ = root_;
  }
  lib::string_view view = target.text.view();
  TRY(frames_.TryPush(Frame{lib::move(target.text), view, 0}));
  return lib::optional<Path>();
}

Result<void> Walker::Step(lib::string_view name) {
  TRY(CheckSearch());
  if (name == ".") return Ok();
  if (name == "..") return GoUp();
  lib::RefPtr<Dentry> child = TRY(cur_.dentry->Lookup(name));
  if (child->negative()) return Errno::kENOENT;
  Path next{cur_.mnt, lib::move(child)};
  TRY(CrossDown(next));
  if (next.inode()->is_symlink()) {
    lib::optional<Path> jump = TRY(PushLink(next));
    if (jump) {
      if (!jump->inode()->is_dir()) return Errno::kENOTDIR;
      cur_ = lib::move(*jump);
    }
    return Ok();
  }
  if (!next.inode()->is_dir()) return Errno::kENOTDIR;
  cur_ = lib::move(next);
  return Ok();
}

Result<void> Walker::WalkToParent() {
  for (;;) {
    bool is_last = false;
    bool trailing = false;
    lib::string_view name = TRY(NextComponent(is_last, trailing));
    if (name.empty()) {
      last_kind_ = LastKind::kNone;
      return Ok();
    }
    if (!is_last) {
      TRY(Step(name));
      continue;
    }
    __builtin_memcpy(last_, name.data(), name.size());
    last_len_ = name.size();
    last_[last_len_] = '\0';
    if (trailing) must_be_dir_ = true;
    if (name == ".") {
      last_kind_ = LastKind::kDot;
    } else if (name == "..") {
      last_kind_ = LastKind::kDotDot;
    } else {
      last_kind_ = LastKind::kNormal;
    }
    // Drop the exhausted frames now, so that a symlink followed next starts clean.
    while (!frames_.empty() && frames_.back().pos >= frames_.back().text.size()) {
      frames_.PopBack();
    }
    return Ok();
  }
}

Result<Path> Walker::LookupLast(bool cross) {
  TRY(CheckSearch());
  lib::RefPtr<Dentry> child = TRY(cur_.dentry->Lookup(last()));
  Path p{cur_.mnt, lib::move(child)};
  if (cross && !p.dentry->negative()) TRY(CrossDown(p));
  return p;
}

Result<lib::optional<Path>> Walker::FollowLast(const Path& link) {
  frames_.Clear();  // only slashes were left
  return PushLink(link);
}

Result<Path> Walker::ResolveSpecialLast() {
  if (last_kind_ == LastKind::kDot || last_kind_ == LastKind::kDotDot) {
    TRY(CheckSearch());
    if (last_kind_ == LastKind::kDotDot) TRY(GoUp());
  }
  return cur_;
}

Result<Path> Walker::Resolve() {
  Path result;
  for (;;) {
    TRY(WalkToParent());
    if (last_kind_ != LastKind::kNormal) {
      result = TRY(ResolveSpecialLast());
      break;
    }
    Path child = TRY(LookupLast());
    if (child.dentry->negative()) return Errno::kENOENT;
    if (child.inode()->is_symlink() && ((flags_ & walk::kFollow) || must_be_dir_)) {
      lib::optional<Path> jump = TRY(FollowLast(child));
      if (jump) {
        result = lib::move(*jump);
        break;
      }
      continue;
    }
    result = lib::move(child);
    break;
  }
  if (must_be_dir_ && !result.inode()->is_dir()) return Errno::kENOTDIR;
  return result;
}

u32 WalkFlagsFromAt(u32 at_flags, bool follow_default) {
  u32 f = follow_default ? walk::kFollow : 0;
  if (at_flags & at::kSymlinkNoFollow) f &= ~walk::kFollow;
  if (at_flags & at::kSymlinkFollow) f |= walk::kFollow;
  if (at_flags & at::kEmptyPath) f |= walk::kEmptyPath;
  return f;
}

Result<Path> ResolvePath(const Actor& actor, int dirfd, lib::string_view path, u32 walk_flags) {
  Walker w(actor, walk_flags);
  TRY(w.Start(dirfd, path));
  return w.Resolve();
}

}  // namespace kernel::fs
