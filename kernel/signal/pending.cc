#include "kernel/signal/pending.h"

#include "kernel/lib/alloc.h"

namespace kernel::signal {
namespace {
u32 g_queued = 0;  // heap-allocated QueuedSignals alive

void Release(QueuedSignal& q) {
  if (q.on_dequeue != nullptr) {
    q.on_dequeue(q);
    return;
  }
  --g_queued;
  lib::Delete(&q);
}
}  // namespace

u32 QueuedSignalCount() { return g_queued; }

Result<void> Pending::Add(const SigInfo& info, bool may_lose_info) {
  const int sig = info.signo;
  if (!IsRealtime(sig)) {
    if (set_.Has(sig)) return Ok();  // merged with the pending instance [man 7 signal]
    Stored& s = standard_[sig - 1];
    s.errno_value = info.errno_value;
    s.code = info.code;
    __builtin_memcpy(s.fields, info.f.raw, sizeof(s.fields));
    set_.Add(sig);
    inline_.Add(sig);
    return Ok();
  }
  QueuedSignal* q = nullptr;
  if (g_queued < kMaxQueuedSignals) {
    auto r = lib::TryNew<QueuedSignal>();
    if (!r.is_error()) q = r.value();
  }
  if (q == nullptr) {
    if (!may_lose_info) return Errno::kEAGAIN;
    set_.Add(sig);
    lost_info_.Add(sig);
    return Ok();
  }
  ++g_queued;
  q->info = info;
  queue_.PushBack(*q);
  set_.Add(sig);
  return Ok();
}

void Pending::AddOwned(QueuedSignal& q) {
  if (q.node.linked()) return;
  queue_.PushBack(q);
  set_.Add(q.info.signo);
}

void Pending::RemoveOwned(QueuedSignal& q) {
  if (!q.node.linked()) return;
  bool mine = false;
  for (QueuedSignal& e : queue_) mine = mine || &e == &q;
  if (!mine) return;
  queue_.Remove(q);
  const int sig = q.info.signo;
  bool more = lost_info_.Has(sig) || inline_.Has(sig);
  for (QueuedSignal& e : queue_) more = more || e.info.signo == sig;
  if (!more) set_.Remove(sig);
}

int Pending::Next(SigSet blocked) const {
  SigSet ready = set_ & ~blocked;
  SigSet sync = ready & kSynchronous;
  return sync.empty() ? ready.Lowest() : sync.Lowest();
}

SigInfo Pending::Take(int sig) {
  SigInfo info;
  info.signo = sig;
  if (!set_.Has(sig)) return info;
  if (!IsRealtime(sig) && inline_.Has(sig)) {
    const Stored& s = standard_[sig - 1];
    info.errno_value = s.errno_value;
    info.code = s.code;
    __builtin_memcpy(info.f.raw, s.fields, sizeof(s.fields));
    inline_.Remove(sig);
    bool queued = false;
    for (QueuedSignal& q : queue_) queued = queued || q.info.signo == sig;
    if (!queued) set_.Remove(sig);
    return info;
  }
  QueuedSignal* found = nullptr;
  bool more = false;
  for (QueuedSignal& q : queue_) {
    if (q.info.signo != sig) continue;
    if (found == nullptr) {
      found = &q;
    } else {
      more = true;
      break;
    }
  }
  if (found != nullptr) {
    info = found->info;
    queue_.Remove(*found);
    Release(*found);
  } else {
    lost_info_.Remove(sig);  // queued without info: si_code SI_USER, nothing else known
  }
  if (!more && !lost_info_.Has(sig)) set_.Remove(sig);
  if (found == nullptr) set_.Remove(sig);
  return info;
}

void Pending::Discard(SigSet sigs) {
  set_ = set_ & ~sigs;
  inline_ = inline_ & ~sigs;
  lost_info_ = lost_info_ & ~sigs;
  for (QueuedSignal* q = queue_.Front(); q != nullptr;) {
    QueuedSignal* next = queue_.Next(*q);
    if (sigs.Has(q->info.signo)) {
      queue_.Remove(*q);
      Release(*q);
    }
    q = next;
  }
}

}  // namespace kernel::signal
