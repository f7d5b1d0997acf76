#pragma once
/// File locks: POSIX record locks (fcntl F_SETLK/F_SETLKW/F_GETLK, owned by an fd table, as
/// Linux's are owned by a files_struct), open-file-description locks (F_OFD_*, owned by the
/// File) and flock(2) locks (whole-file, owned by the File). All are advisory.
///
/// A lock is a byte range [start, end] (end inclusive; kLockEof means "to the end, however
/// far it grows"). An owner's own locks never conflict with each other: a new lock replaces
/// the overlapping parts of the owner's old ones and merges with adjacent ones of the same
/// type, exactly as POSIX requires. Waiters sleep interruptibly on the inode's queue and
/// re-check after every unlock; F_SETLKW detects the simple deadlock of two owners waiting
/// for each other's locks (EDEADLK).
#include "kernel/fs/abi.h"
#include "kernel/lib/result.h"

namespace kernel::fs {

class File;
class Inode;

inline constexpr u64 kLockEof = ~u64{0};

/// A lock request or answer in kernel form.
struct LockRange {
  i16 type;  ///< kRdLck, kWrLck or kUnLck
  u64 start;
  u64 end;  ///< inclusive; kLockEof for "to EOF"
  i32 pid;  ///< the owner's process id (F_GETLK reports it; -1 for OFD locks)
};

/// Converts a struct flock (relative to `whence`) into an absolute range for `file`:
/// EINVAL for a bad whence/type or a range that starts before 0; EOVERFLOW past off_t.
Result<LockRange> LockRangeFrom(const Flock& fl, File& file);

/// F_GETLK / F_OFD_GETLK: the first lock of another owner that conflicts with `want`, or
/// `want` with type kUnLck when nothing conflicts.
Result<LockRange> TestLock(File& file, const void* owner, const LockRange& want);
/// F_SETLK / F_SETLKW (and the OFD variants): places or removes (kUnLck) the lock. With
/// `wait`, sleeps until it can be placed (ERESTARTSYS on signals, EDEADLK on deadlock);
/// otherwise EAGAIN on conflict. EBADF when the file is not open for the lock's type.
Result<void> SetLock(File& file, const void* owner, const LockRange& want, bool wait);
/// flock(2)'s operation without kLockNb: the lock type (kRdLck, kWrLck, kUnLck), EINVAL for
/// anything else.
Result<i16> FlockTypeOf(int operation);
/// flock(2): kLockSh / kLockEx / kLockUn, optionally | kLockNb.
Result<void> FlockFile(File& file, int operation);

/// Drops every POSIX lock `owner` holds on the file's inode (close(2)).
void ReleasePosixLocks(File& file, const void* owner);
/// Frees the lock state of an inode that is going away.
void DestroyLockState(Inode& inode);

}  // namespace kernel::fs
