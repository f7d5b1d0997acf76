#include "kernel/fs/locks.h"

#include "kernel/fs/file.h"
#include "kernel/fs/inode.h"
#include "kernel/lib/alloc.h"
#include "kernel/lib/vector.h"
#include "kernel/proc/wait_queue.h"

namespace kernel::fs {

namespace {

struct PosixLock {
  const void* owner;
  i32 pid;
  i16 type;
  u64 start;
  u64 end;  // inclusive
};

// A flock(2) lock, or the release hook of a file that holds OFD locks: both go when their
// open file description does.
struct FileHolder {
  File* file;
  Inode* inode;
  i16 flock_type;  // kUnLck for a pure OFD-lock holder
  bool ofd;
  FileReleaseHook hook;
  lib::ListNode node;
};

}  // namespace

struct FileLockState {
  lib::Vector<PosixLock> posix;
  lib::IntrusiveList<FileHolder, &FileHolder::node> holders;
  proc::WaitQueue waiters;
};

namespace {

// Who waits for whom among POSIX lock owners, for deadlock detection (posix_locks_deadlock).
struct WaitEdge {
  const void* waiter;
  const void* holder;
};
lib::Vector<WaitEdge> g_waits;

bool Overlaps(const PosixLock& l, u64 start, u64 end) { return l.start <= end && start <= l.end; }

bool Conflicts(const PosixLock& held, const void* owner, const LockRange& want) {
  return held.owner != owner && Overlaps(held, want.start, want.end) &&
         (held.type == kWrLck || want.type == kWrLck);
}

Result<FileLockState*> StateOf(Inode& inode, bool create) {
  FileLockState*& s = inode.lock_state();
  if (s == nullptr && create) s = TRY(lib::TryNew<FileLockState>());
  return s;
}

const PosixLock* FindConflict(FileLockState& s, const void* owner, const LockRange& want) {
  for (const PosixLock& l : s.posix) {
    if (Conflicts(l, owner, want)) return &l;
  }
  return nullptr;
}

bool WouldDeadlock(const void* me, const void* holder) {
  for (int depth = 0; depth < 16; ++depth) {
    if (holder == me) return true;
    const void* next = nullptr;
    for (const WaitEdge& e : g_waits) {
      if (e.waiter == holder) {
        next = e.holder;
        break;
      }
    }
    if (next == nullptr) return false;
    holder = next;
  }
  return false;
}

// Replaces the owner's locks over [want.start, want.end] by `want` (or removes them for
// kUnLck), splitting and merging as POSIX requires. Builds the new list first, so ENOLCK
// leaves the old one intact.
Result<void> Apply(FileLockState& s, const void* owner, const LockRange& want) {
  lib::Vector<PosixLock> next;
  TRY(next.TryReserve(s.posix.size() + 2));
  PosixLock merged{owner, want.pid, want.type, want.start, want.end};
  for (const PosixLock& l : s.posix) {
    if (l.owner != owner) {
      TRY(next.TryPush(l));
      continue;
    }
    bool adjacent = (want.end != kLockEof && l.start == want.end + 1) ||
                    (want.start > 0 && l.end == want.start - 1);
    if (want.type != kUnLck && l.type == want.type &&
        (Overlaps(l, want.start, want.end) || adjacent)) {
      if (l.start < merged.start) merged.start = l.start;
      if (l.end > merged.end) merged.end = l.end;
      continue;
    }
    if (!Overlaps(l, want.start, want.end)) {
      TRY(next.TryPush(l));
      continue;
    }
    if (l.start < want.start) {
      PosixLock left = l;
      left.end = want.start - 1;
      TRY(next.TryPush(left));
    }
    if (want.end != kLockEof && l.end > want.end) {
      PosixLock right = l;
      right.start = want.end + 1;
      TRY(next.TryPush(right));
    }
  }
  if (want.type != kUnLck) TRY(next.TryPush(merged));
  s.posix = lib::move(next);
  return Ok();
}

void OnHolderRelease(FileReleaseHook& hook, File& file) {
  auto* h =
      reinterpret_cast<FileHolder*>(reinterpret_cast<char*>(&hook) - offsetof(FileHolder, hook));
  FileLockState* s = h->inode->lock_state();
  if (s != nullptr) {
    s->holders.Remove(*h);
    if (h->ofd) ReleasePosixLocks(file, &file);
    s->waiters.WakeAll();
  }
  lib::Delete(h);
}

FileHolder* FindHolder(FileLockState& s, File& file) {
  for (FileHolder& h : s.holders)
    if (h.file == &file) return &h;
  return nullptr;
}

Result<FileHolder*> EnsureHolder(FileLockState& s, File& file) {
  if (FileHolder* h = FindHolder(s, file)) return h;
  FileHolder* h = TRY(lib::TryNew<FileHolder>());
  h->file = &file;
  h->inode = file.inode();
  h->flock_type = kUnLck;
  h->ofd = false;
  h->hook.on_release = &OnHolderRelease;
  s.holders.PushBack(*h);
  file.AddReleaseHook(h->hook);
  return h;
}

}  // namespace

Result<LockRange> LockRangeFrom(const Flock& fl, File& file) {
  if (fl.type != kRdLck && fl.type != kWrLck && fl.type != kUnLck) return Errno::kEINVAL;
  i64 base;
  switch (fl.whence) {
    case kSeekSet:
      base = 0;
      break;
    case kSeekCur:
      base = static_cast<i64>(file.pos());
      break;
    case kSeekEnd:
      base = file.inode() != nullptr ? static_cast<i64>(file.inode()->size()) : 0;
      break;
    default:
      return Errno::kEINVAL;
  }
  i64 start;
  if (lib::AddOverflows(base, fl.start, &start)) return Errno::kEOVERFLOW;
  if (start < 0) return Errno::kEINVAL;
  LockRange r{fl.type, static_cast<u64>(start), kLockEof, 0};
  if (fl.len > 0) {
    i64 end;
    if (lib::AddOverflows(start, fl.len - 1, &end)) return Errno::kEOVERFLOW;
    r.end = static_cast<u64>(end);
  } else if (fl.len < 0) {
    // A negative length locks the bytes before start [man 2 fcntl].
    i64 first = start + fl.len;
    if (first < 0) return Errno::kEINVAL;
    r.end = static_cast<u64>(start - 1);
    r.start = static_cast<u64>(first);
  }
  return r;
}

Result<LockRange> TestLock(File& file, const void* owner, const LockRange& want) {
  LockRange answer = want;
  answer.type = kUnLck;
  FileLockState* s = TRY(StateOf(*file.inode(), false));
  if (s == nullptr || want.type == kUnLck) return answer;
  if (const PosixLock* l = FindConflict(*s, owner, want)) {
    answer = LockRange{l->type, l->start, l->end, l->pid};
  }
  return answer;
}

Result<void> SetLock(File& file, const void* owner, const LockRange& want, bool wait) {
  if (want.type == kRdLck && !file.readable()) return Errno::kEBADF;
  if (want.type == kWrLck && !file.writable()) return Errno::kEBADF;
  Inode& inode = *file.inode();
  FileLockState* s = TRY(StateOf(inode, want.type != kUnLck));
  if (s == nullptr) return Ok();  // unlocking with no locks at all
  bool ofd = owner == &file;
  if (ofd && want.type != kUnLck) {
    FileHolder* h = TRY(EnsureHolder(*s, file));
    h->ofd = true;
  }
  for (;;) {
    const PosixLock* conflict = want.type == kUnLck ? nullptr : FindConflict(*s, owner, want);
    if (conflict == nullptr) {
      Result<void> r = Apply(*s, owner, want);
      if (r.is_error()) return Errno::kENOLCK;
      s->waiters.WakeAll();  // an unlock or downgrade may let others in
      return Ok();
    }
    if (!wait) return Errno::kEAGAIN;
    const void* holder = conflict->owner;
    if (!ofd && WouldDeadlock(owner, holder)) return Errno::kEDEADLK;
    if (g_waits.TryPush(WaitEdge{owner, holder}).is_error()) return Errno::kENOLCK;
    Result<void> r =
        s->waiters.WaitInterruptible([&] { return FindConflict(*s, owner, want) == nullptr; });
    g_waits.EraseIf([&](const WaitEdge& e) { return e.waiter == owner && e.holder == holder; });
    if (g_waits.empty()) g_waits.Reset();  // nothing waits: give the memory back
    TRY(r);
  }
}

Result<i16> FlockTypeOf(int operation) {
  int op = operation & ~kLockNb;
  if (op == kLockSh) return kRdLck;
  if (op == kLockEx) return kWrLck;
  if (op == kLockUn) return kUnLck;
  return Errno::kEINVAL;
}

Result<void> FlockFile(File& file, int operation) {
  bool nonblock = (operation & kLockNb) != 0;
  i16 type = TRY(FlockTypeOf(operation));
  Inode& inode = *file.inode();
  FileLockState* s = TRY(StateOf(inode, type != kUnLck));
  if (s == nullptr) return Ok();
  FileHolder* mine = FindHolder(*s, file);
  if (type == kUnLck) {
    if (mine != nullptr) {
      mine->flock_type = kUnLck;
      s->waiters.WakeAll();
    }
    return Ok();
  }
  auto conflict = [&] {
    for (FileHolder& h : s->holders) {
      if (h.file == &file || h.flock_type == kUnLck) continue;
      if (h.flock_type == kWrLck || type == kWrLck) return true;
    }
    return false;
  };
  if (mine != nullptr && mine->flock_type == type) return Ok();
  // A conversion drops the old lock first, as Linux's flock does (it is not atomic).
  if (mine != nullptr && mine->flock_type != kUnLck) {
    mine->flock_type = kUnLck;
    s->waiters.WakeAll();
  }
  while (conflict()) {
    if (nonblock) return Errno::kEAGAIN;
    TRY(s->waiters.WaitInterruptible([&] { return !conflict(); }));
  }
  mine = TRY(EnsureHolder(*s, file));
  mine->flock_type = type;
  return Ok();
}

void ReleasePosixLocks(File& file, const void* owner) {
  Inode* inode = file.inode();
  if (inode == nullptr || inode->lock_state() == nullptr) return;
  FileLockState& s = *inode->lock_state();
  usize removed = s.posix.EraseIf([&](const PosixLock& l) { return l.owner == owner; });
  if (removed > 0) s.waiters.WakeAll();
}

void DestroyLockState(Inode& inode) {
  FileLockState* s = inode.lock_state();
  if (s == nullptr) return;
  // Holders outlive their inode only if a File outlived its inode, which cannot happen (a
  // File holds its inode); the list is empty here.
  lib::Delete(s);
  inode.lock_state() = nullptr;
}

}  // namespace kernel::fs
