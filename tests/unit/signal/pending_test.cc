#include "kernel/signal/pending.h"

#include <gtest/gtest.h>

#include "kernel/signal/state.h"

namespace kernel::signal {
namespace {

SigInfo Info(int sig, int code = kSiUser, i32 pid = 0) {
  SigInfo i;
  i.signo = sig;
  i.code = code;
  i.f.kill.pid = pid;
  return i;
}

TEST(SignalPendingTest, StandardSignalsMergeAndKeepTheFirstInfo) {
  Pending p;
  ASSERT_TRUE(p.Add(Info(kSigUsr1, kSiUser, 7), true).ok());
  ASSERT_TRUE(p.Add(Info(kSigUsr1, kSiUser, 8), true).ok());
  EXPECT_TRUE(p.Has(kSigUsr1));
  SigInfo got = p.Take(kSigUsr1);
  EXPECT_EQ(got.signo, kSigUsr1);
  EXPECT_EQ(got.f.kill.pid, 7);
  EXPECT_FALSE(p.Has(kSigUsr1));
  EXPECT_EQ(QueuedSignalCount(), 0u) << "standard signals never allocate";
}

TEST(SignalPendingTest, RealtimeSignalsQueueInOrder) {
  Pending p;
  for (i32 v = 1; v <= 3; ++v) ASSERT_TRUE(p.Add(Info(kSigRtMin + 2, kSiQueue, v), false).ok());
  EXPECT_EQ(QueuedSignalCount(), 3u);
  for (i32 v = 1; v <= 3; ++v) {
    ASSERT_TRUE(p.Has(kSigRtMin + 2));
    EXPECT_EQ(p.Take(kSigRtMin + 2).f.kill.pid, v);
  }
  EXPECT_FALSE(p.Has(kSigRtMin + 2));
  EXPECT_EQ(QueuedSignalCount(), 0u);
}

TEST(SignalPendingTest, NextPrefersSynchronousThenLowest) {
  Pending p;
  ASSERT_TRUE(p.Add(Info(kSigInt), true).ok());
  ASSERT_TRUE(p.Add(Info(kSigSegv, kSegvMapErr), true).ok());
  ASSERT_TRUE(p.Add(Info(kSigHup), true).ok());
  EXPECT_EQ(p.Next(SigSet()), kSigSegv);
  EXPECT_EQ(p.Next(SigSet::Of(kSigSegv)), kSigHup);
  EXPECT_EQ(p.Next(SigSet::Of(kSigSegv) | SigSet::Of(kSigHup) | SigSet::Of(kSigInt)), 0);
}

TEST(SignalPendingTest, DiscardFreesQueuedInstances) {
  Pending p;
  ASSERT_TRUE(p.Add(Info(40), false).ok());
  ASSERT_TRUE(p.Add(Info(41), false).ok());
  ASSERT_TRUE(p.Add(Info(kSigCont), false).ok());
  p.Discard(SigSet::Of(40) | SigSet::Of(kSigCont));
  EXPECT_FALSE(p.Has(40));
  EXPECT_FALSE(p.Has(kSigCont));
  EXPECT_TRUE(p.Has(41));
  EXPECT_EQ(QueuedSignalCount(), 1u);
  p.Clear();
  EXPECT_EQ(QueuedSignalCount(), 0u);
}

TEST(SignalPendingTest, OwnedInstancesAreReturnedNotFreed) {
  Pending p;
  QueuedSignal timer_signal;
  timer_signal.info = Info(kSigRtMin, kSiTimer);
  int returned = 0;
  timer_signal.owner = &returned;
  timer_signal.on_dequeue = [](QueuedSignal& q) { ++*static_cast<int*>(q.owner); };
  p.AddOwned(timer_signal);
  p.AddOwned(timer_signal);  // already queued: not twice
  EXPECT_TRUE(p.IsQueued(timer_signal));
  EXPECT_EQ(p.Take(kSigRtMin).code, kSiTimer);
  EXPECT_EQ(returned, 1);
  EXPECT_FALSE(p.Has(kSigRtMin));
  EXPECT_FALSE(p.IsQueued(timer_signal));
}

// A POSIX timer may use a standard signal (SIGUSR1): its owned instance must be the one
// dequeued, with SI_TIMER and the timer's si_value, not an empty inline siginfo.
TEST(SignalPendingTest, OwnedStandardSignalKeepsItsTimerInfo) {
  Pending p;
  QueuedSignal timer_signal;
  timer_signal.info = Info(kSigUsr1, kSiTimer);
  timer_signal.info.f.timer.tid = 3;
  timer_signal.info.f.timer.value = 77;
  int returned = 0;
  timer_signal.owner = &returned;
  timer_signal.on_dequeue = [](QueuedSignal& q) { ++*static_cast<int*>(q.owner); };
  p.AddOwned(timer_signal);
  ASSERT_TRUE(p.Has(kSigUsr1));
  SigInfo got = p.Take(kSigUsr1);
  EXPECT_EQ(got.code, kSiTimer);
  EXPECT_EQ(got.f.timer.tid, 3);
  EXPECT_EQ(got.f.timer.value, 77u);
  EXPECT_EQ(returned, 1);
  EXPECT_FALSE(p.Has(kSigUsr1));

  // A kill(2) instance already pending and the timer's: both are delivered, one each.
  ASSERT_TRUE(p.Add(Info(kSigUsr1, kSiUser, 9), true).ok());
  p.AddOwned(timer_signal);
  ASSERT_TRUE(p.Add(Info(kSigUsr1, kSiUser, 10), true).ok());  // merged: already pending
  EXPECT_EQ(p.Take(kSigUsr1).f.kill.pid, 9);
  ASSERT_TRUE(p.Has(kSigUsr1)) << "the timer's instance is still queued";
  EXPECT_EQ(p.Take(kSigUsr1).code, kSiTimer);
  EXPECT_FALSE(p.Has(kSigUsr1));
  EXPECT_EQ(returned, 2);

  // Discarding (SIG_IGN) and RemoveOwned (timer_delete) leave nothing behind.
  p.AddOwned(timer_signal);
  p.RemoveOwned(timer_signal);
  EXPECT_FALSE(p.Has(kSigUsr1));
  ASSERT_TRUE(p.Add(Info(kSigUsr1), true).ok());
  p.AddOwned(timer_signal);
  p.RemoveOwned(timer_signal);
  EXPECT_TRUE(p.Has(kSigUsr1)) << "the kill instance remains";
  p.Discard(SigSet(u64{1} << (kSigUsr1 - 1)));
  EXPECT_FALSE(p.Has(kSigUsr1));
  EXPECT_EQ(p.Take(kSigUsr1).code, 0) << "nothing pending: an empty siginfo";
}

TEST(SignalHandlersTest, DefaultActionsAndExecReset) {
  EXPECT_EQ(DefaultActionOf(kSigSegv), DefaultAction::kCoreDump);
  EXPECT_EQ(DefaultActionOf(kSigQuit), DefaultAction::kCoreDump);
  EXPECT_EQ(DefaultActionOf(kSigTerm), DefaultAction::kTerminate);
  EXPECT_EQ(DefaultActionOf(kSigChld), DefaultAction::kIgnore);
  EXPECT_EQ(DefaultActionOf(kSigWinch), DefaultAction::kIgnore);
  EXPECT_EQ(DefaultActionOf(kSigTtin), DefaultAction::kStop);
  EXPECT_EQ(DefaultActionOf(kSigCont), DefaultAction::kContinue);
  EXPECT_EQ(DefaultActionOf(50), DefaultAction::kTerminate);
  auto h = Handlers::Create().value();
  h->Set(kSigInt, KSigaction{0x401000, kSaRestart | kSaRestorer, 0x400000, 0xff});
  h->Set(kSigPipe, KSigaction{kSigIgn, 0, 0, 0});
  EXPECT_TRUE(h->IsIgnored(kSigPipe));
  EXPECT_TRUE(h->IsIgnored(kSigChld));
  EXPECT_FALSE(h->IsIgnored(kSigInt));
  h->ResetOnExec();
  EXPECT_EQ(h->Get(kSigInt).handler, kSigDfl);
  EXPECT_EQ(h->Get(kSigInt).flags, 0u);
  EXPECT_EQ(h->Get(kSigInt).mask, 0u);
  EXPECT_EQ(h->Get(kSigPipe).handler, kSigIgn) << "ignored signals stay ignored across execve";
}

}  // namespace
}  // namespace kernel::signal
