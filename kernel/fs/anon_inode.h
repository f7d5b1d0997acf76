#pragma once
/// Inodes for files that live in no directory: pipes, epoll instances, eventfds. They belong
/// to one internal file system (Linux has pipefs and anon_inodefs) so fstat reports a device
/// and an inode number, and /proc/<pid>/fd shows "pipe:[ino]" or "anon_inode:[eventpoll]".
#include "kernel/fs/inode.h"

namespace kernel::fs {

class AnonInode final : public Inode {
 public:
  AnonInode(SuperBlock& sb, u64 ino, u32 mode, u32 uid, u32 gid) : Inode(sb, ino, mode, uid, gid) {}
};

/// A new anonymous inode with `mode` (type and permissions).
Result<lib::RefPtr<Inode>> CreateAnonInode(u32 mode, u32 uid, u32 gid);

}  // namespace kernel::fs
