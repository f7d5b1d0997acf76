#include "kernel/proc/futex.h"

#include <hal/clock.h>

#include "kernel/lib/intrusive_list.h"
#include "kernel/mm/address_space.h"
#include "kernel/mm/user_ptr.h"
#include "kernel/proc/scheduler.h"
#include "kernel/time/timer.h"

namespace kernel::proc::futex {
namespace {

struct Key {
  enum class Kind : u8 { kPrivate, kMmShared, kObject };
  Kind kind;
  const void* space;  // the AddressSpace or the object's mapping_key(); compared only
  u64 offset;         // the user address, or the byte offset in the object
  bool operator==(const Key&) const = default;
};

struct Waiter {
  Task* task;
  Key key;
  u32 bitset;
  bool woken;
  lib::ListNode node;
};

lib::IntrusiveList<Waiter, &Waiter::node> g_waiters;

Result<Key> MakeKey(Task& task, u64 uaddr, bool is_private) {
  if ((uaddr & 3) != 0) return Errno::kEINVAL;
  mm::AddressSpace* as = task.address_space();
  if (as == nullptr || !mm::IsUserRange(uaddr, 4)) return Errno::kEFAULT;
  if (is_private) return Key{Key::Kind::kPrivate, as, uaddr};
  mm::Vma* vma = as->FindVma(uaddr);
  if (vma == nullptr) return Errno::kEFAULT;
  if (vma->shared() && vma->object) {
    // Keyed by what the pages belong to (a file's inode), not by this mapping's object: every
    // mmap of a file makes its own object, and a futex in a file page is one futex however
    // often and wherever it is mapped (get_futex_key: inode + page offset).
    return Key{Key::Kind::kObject, vma->object->mapping_key(),
               vma->PageIndex(uaddr) * kPageSize + (uaddr & (kPageSize - 1))};
  }
  return Key{Key::Kind::kMmShared, as, uaddr};
}

Result<u32> ReadWord(u64 uaddr) {
  u32 v;
  TRY(mm::CopyFromUser(&v, uaddr, sizeof(v)));
  return v;
}

u32 WakeKey(const Key& key, u32 count, u32 bitset) {
  u32 woken = 0;
  for (auto it = g_waiters.begin(); it != g_waiters.end() && woken < count;) {
    Waiter& w = *it;
    ++it;
    if (!(w.key == key) || (w.bitset & bitset) == 0) continue;
    g_waiters.Remove(w);
    w.woken = true;
    sched::Wake(*w.task);
    ++woken;
  }
  return woken;
}

void WakeOnTimeout(time::Timer& timer) { sched::Wake(*static_cast<Task*>(timer.data())); }

// A timespec from user memory as nanoseconds; EINVAL unless 0 <= tv_nsec < 1e9, tv_sec >= 0.
Result<u64> ReadTimespec(u64 uaddr) {
  struct {
    i64 sec;
    i64 nsec;
  } ts;
  TRY(mm::CopyFromUser(&ts, uaddr, sizeof(ts)));
  if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1'000'000'000) return Errno::kEINVAL;
  constexpr u64 kMaxSec = (~u64{0} >> 1) / 1'000'000'000;
  if (static_cast<u64>(ts.sec) >= kMaxSec) return ~u64{0} >> 1;
  return static_cast<u64>(ts.sec) * 1'000'000'000 + static_cast<u64>(ts.nsec);
}

Result<i64> WaitOn(Task& task, const Key& key, u64 uaddr, u32 val, u32 bitset, u64 deadline_ns) {
  u32 current = TRY(ReadWord(uaddr));
  if (current != val) return Errno::kEAGAIN;
  Waiter w{&task, key, bitset, false, {}};
  g_waiters.PushBack(w);
  time::Timer timer;
  if (deadline_ns != 0) timer.Arm(deadline_ns, &WakeOnTimeout, &task);
  Result<i64> result = i64{0};
  for (;;) {
    task.set_state(TaskState::kBlocked);
    if (w.woken) break;
    if (task.interrupt_pending()) {
      result = Errno::kERESTARTSYS;
      break;
    }
    if (deadline_ns != 0 && time::MonotonicNs() >= deadline_ns) {
      result = Errno::kETIMEDOUT;
      break;
    }
    sched::Block();
  }
  task.set_state(TaskState::kRunnable);
  timer.Cancel();
  if (w.node.linked()) g_waiters.Remove(w);
  return result;
}

i32 SignExtend12(u32 v) { return static_cast<i32>(v << 20) >> 20; }

}  // namespace

usize WaiterCount() { return g_waiters.size(); }

Result<u32> Wake(Task& task, u64 uaddr, bool is_private, u32 count, u32 bitset) {
  Key key = TRY(MakeKey(task, uaddr, is_private));
  return WakeKey(key, count, bitset);
}

Result<i64> Futex(Task& task, u64 uaddr, int op, u32 val, u64 timeout, u64 uaddr2, u32 val3) {
  const int cmd = op & op::kCmdMask;
  const bool is_private = (op & op::kPrivateFlag) != 0;
  const bool realtime = (op & op::kClockRealtime) != 0;
  // FUTEX_CLOCK_REALTIME only with the waits that take an absolute time: not FUTEX_WAIT,
  // although futex(2) says Linux 4.5 allowed it (do_futex refuses it, 6.1 and 6.18 alike).
  if (realtime && cmd != op::kWaitBitset && cmd != op::kWaitRequeuePi && cmd != op::kLockPi2) {
    return Errno::kENOSYS;
  }
  switch (cmd) {
    case op::kWait:
    case op::kWaitBitset: {
      u32 bitset = cmd == op::kWait ? kBitsetMatchAny : val3;
      if (bitset == 0) return Errno::kEINVAL;
      u64 deadline = 0;
      if (timeout != 0) {
        u64 t = TRY(ReadTimespec(timeout));
        u64 now = time::MonotonicNs();
        if (cmd == op::kWait) {
          deadline = now + t;  // relative
        } else if (realtime) {
          u64 wall_now = hal::Clock::BootWallClockNs() + now;
          deadline = t > wall_now ? now + (t - wall_now) : now;
        } else {
          deadline = t;
        }
        if (deadline == 0) deadline = 1;
      }
      Key key = TRY(MakeKey(task, uaddr, is_private));
      return WaitOn(task, key, uaddr, val, bitset, deadline);
    }
    case op::kWake:
    case op::kWakeBitset: {
      u32 bitset = cmd == op::kWake ? kBitsetMatchAny : val3;
      if (bitset == 0) return Errno::kEINVAL;
      Key key = TRY(MakeKey(task, uaddr, is_private));
      // Linux wakes at least one waiter even when asked for none or a negative count.
      i32 n = static_cast<i32>(val);
      return static_cast<i64>(WakeKey(key, n <= 0 ? 1 : static_cast<u32>(n), bitset));
    }
    case op::kRequeue:
    case op::kCmpRequeue: {
      i32 nr_wake = static_cast<i32>(val);
      i32 nr_requeue = static_cast<i32>(static_cast<u32>(timeout));
      if (nr_wake < 0 || nr_requeue < 0) return Errno::kEINVAL;
      Key from = TRY(MakeKey(task, uaddr, is_private));
      Key to = TRY(MakeKey(task, uaddr2, is_private));
      if (cmd == op::kCmpRequeue) {
        u32 current = TRY(ReadWord(uaddr));
        if (current != val3) return Errno::kEAGAIN;
      }
      u32 woken = WakeKey(from, static_cast<u32>(nr_wake), kBitsetMatchAny);
      u32 moved = 0;
      for (Waiter& w : g_waiters) {
        if (moved >= static_cast<u32>(nr_requeue)) break;
        if (w.key == from) {
          w.key = to;
          ++moved;
        }
      }
      return static_cast<i64>(woken + moved);
    }
    case op::kWakeOp: {
      Key key1 = TRY(MakeKey(task, uaddr, is_private));
      Key key2 = TRY(MakeKey(task, uaddr2, is_private));
      u32 encoded_op = (val3 >> 28) & 0xf;
      u32 cmp = (val3 >> 24) & 0xf;
      i32 oparg = SignExtend12((val3 >> 12) & 0xfff);
      i32 cmparg = SignExtend12(val3 & 0xfff);
      if ((encoded_op & 8) != 0) {                 // FUTEX_OP_OPARG_SHIFT
        if (oparg < 0 || oparg > 31) oparg &= 31;  // as Linux, after a warning
        oparg = static_cast<i32>(1u << oparg);
      }
      // An unknown op is refused before the word is touched, an unknown comparison only
      // after the op was applied (futex_atomic_op_inuser: arch op first, then the cmp switch).
      if ((encoded_op & 7) > 4) return Errno::kENOSYS;
      i32 old = static_cast<i32>(TRY(ReadWord(uaddr2)));
      i32 now = old;
      switch (encoded_op & 7) {
        case 0:
          now = oparg;
          break;  // SET
        case 1:
          now = static_cast<i32>(static_cast<u32>(old) + static_cast<u32>(oparg));
          break;
        case 2:
          now = old | oparg;
          break;  // OR
        case 3:
          now = old & ~oparg;
          break;  // ANDN
        case 4:
          now = old ^ oparg;
          break;  // XOR
      }
      TRY(mm::CopyToUser(uaddr2, &now, sizeof(now)));
      if (cmp > 5) return Errno::kENOSYS;
      u32 woken = WakeKey(key1, static_cast<i32>(val) <= 0 ? 1 : val, kBitsetMatchAny);
      bool hit = false;
      switch (cmp) {
        case 0:
          hit = old == cmparg;
          break;
        case 1:
          hit = old != cmparg;
          break;
        case 2:
          hit = old < cmparg;
          break;
        case 3:
          hit = old <= cmparg;
          break;
        case 4:
          hit = old > cmparg;
          break;
        case 5:
          hit = old >= cmparg;
          break;
      }
      if (hit) {
        i32 nr2 = static_cast<i32>(static_cast<u32>(timeout));
        woken += WakeKey(key2, nr2 <= 0 ? 1 : static_cast<u32>(nr2), kBitsetMatchAny);
      }
      return static_cast<i64>(woken);
    }
    default:
      // FUTEX_FD is gone since Linux 2.6.26; the priority-inheritance operations are not
      // implemented (musl and glibc use them only for PTHREAD_PRIO_INHERIT mutexes).
      return Errno::kENOSYS;
  }
}

}  // namespace kernel::proc::futex
