#pragma once
/// Path resolution [man 7 path_resolution, Linux's fs/namei.c]. A Walker resolves a path one
/// component at a time from the root (absolute paths) or a starting directory (the cwd, or a
/// dirfd for the *at calls), checking search permission on every directory it passes,
/// crossing mounts downwards (into what is mounted on a dentry) and upwards (".." at a mount's
/// root), never leaving the caller's root by "..", and following symlinks: always in the
/// middle of a path, at the end when asked to (or when a trailing slash demands a directory),
/// at most kMaxSymlinks times in total (then ELOOP).
///
/// Operations that create or remove a name stop one short with WalkToParent() and look at
/// last()/last_kind() themselves; everything else calls Resolve().
#include "kernel/fs/actor.h"
#include "kernel/fs/path.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vector.h"

namespace kernel::fs {

namespace walk {
inline constexpr u32 kFollow = 1u << 0;        ///< follow a symlink in the last component
inline constexpr u32 kDirectory = 1u << 1;     ///< the result must be a directory
inline constexpr u32 kEmptyPath = 1u << 2;     ///< "" names the start itself (AT_EMPTY_PATH)
inline constexpr u32 kNoSymlinks = 1u << 3;    ///< RESOLVE_NO_SYMLINKS
inline constexpr u32 kNoMagicLinks = 1u << 4;  ///< RESOLVE_NO_MAGICLINKS
inline constexpr u32 kNoXdev = 1u << 5;        ///< RESOLVE_NO_XDEV
inline constexpr u32 kBeneath = 1u << 6;       ///< RESOLVE_BENEATH
inline constexpr u32 kInRoot = 1u << 7;        ///< RESOLVE_IN_ROOT
}  // namespace walk

/// What the last component of a path is.
enum class LastKind : u8 {
  kNone,    ///< there is none: the path is "/" (or "" with kEmptyPath); parent() is the result
  kNormal,  ///< a name
  kDot,     ///< "."
  kDotDot,  ///< ".."
};

class Walker {
 public:
  Walker(const Actor& actor, u32 flags);

  /// Starts at `dirfd` (or the cwd, or the root for an absolute path). `path` must stay
  /// valid while the walker is used. ENOENT for "" without kEmptyPath.
  Result<void> Start(int dirfd, lib::string_view path);
  /// Starts at `start` (kernel-internal walks).
  Result<void> StartAt(const Path& start, lib::string_view path);

  /// Walks every component but the last. Then parent() is the directory that holds it.
  Result<void> WalkToParent();
  const Path& parent() const { return cur_; }
  LastKind last_kind() const { return last_kind_; }
  lib::string_view last() const { return lib::string_view(last_, last_len_); }
  /// Whether the path (or a symlink it went through at its end) ended in '/'.
  bool must_be_dir() const { return must_be_dir_; }

  /// Looks up last() in parent() (kNormal only), after checking search permission: the
  /// child, negative if it does not exist, or (with `cross`) what is mounted on it.
  Result<Path> LookupLast(bool cross = true);
  /// Follows the symlink `link` found as the last component. Returns the destination when the
  /// link is a jump (procfs magic links), or nullopt when its text was queued: then call
  /// WalkToParent() again.
  Result<lib::optional<Path>> FollowLast(const Path& link);

  /// After WalkToParent() found a last component that is not a name ("/", ".", ".."): the
  /// place it names.
  Result<Path> ResolveSpecialLast();

  /// Resolves the whole path to an existing object (ENOENT otherwise), following a final
  /// symlink if kFollow (or a trailing slash) says so.
  Result<Path> Resolve();

  int links_followed() const { return links_; }

 private:
  struct Frame {
    lib::String owned;  // a symlink body (empty for the caller's path)
    lib::string_view text;
    usize pos;
  };

  Result<void> Init(Path start, lib::string_view path);
  // The next component, or an empty view when the path is exhausted. Sets is_last.
  Result<lib::string_view> NextComponent(bool& is_last, bool& trailing);
  Result<void> Step(lib::string_view name);
  Result<void> GoUp();
  Result<void> CrossDown(Path& p);
  // Queues a symlink's text, or returns a jump destination.
  Result<lib::optional<Path>> PushLink(const Path& link);
  Result<void> CheckSearch();

  const Actor& actor_;
  u32 flags_;
  Path root_;
  Path cur_;
  lib::Vector<Frame> frames_;
  int links_ = 0;
  LastKind last_kind_ = LastKind::kNone;
  bool must_be_dir_ = false;
  char last_[kNameMax + 1];
  usize last_len_ = 0;
};

/// Converts *at(2) flags to walk flags: AT_SYMLINK_NOFOLLOW clears kFollow, AT_EMPTY_PATH
/// sets kEmptyPath. `follow_default` says whether the call follows by default (stat does,
/// lstat and unlink do not; linkat follows only with AT_SYMLINK_FOLLOW).
u32 WalkFlagsFromAt(u32 at_flags, bool follow_default);

/// Resolves `path` relative to `dirfd` to an existing object.
Result<Path> ResolvePath(const Actor& actor, int dirfd, lib::string_view path, u32 walk_flags);

}  // namespace kernel::fs
