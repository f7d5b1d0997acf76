// signalfd: records as Linux lays them out, mask updates, non-blocking and blocking reads,
// poll readiness and its notifications.
#include "kernel/signal/signalfd.h"

#include <gtest/gtest.h>

#include <cstddef>

#include <hal/interrupts.h>

#include "kernel/fs/poll_queue.h"
#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/signal/send.h"

namespace kernel::signal {
namespace {

class SignalFdTest : public testing::Test {
 protected:
  void SetUp() override {
    task_ = proc::Task::AdoptCurrentContext("signalfd").value();
    proc::sched::Init(*task_);
    hal::Interrupts::Enable();
    process_ = proc::Process::Create(*task_, nullptr).value();
    task_->signals().handlers = Handlers::Create().value();
    task_->signals().blocked = SigSet::Of(kSigUsr1) | SigSet::Of(kSigUsr2) | SigSet::Of(40);
    // The test's process may be PID 1, which only receives signals it handles.
    for (int sig : {kSigUsr1, kSigUsr2, 40, kSigTerm})
      task_->signals().handlers->Set(sig, KSigaction{0x401000, kSaRestorer, 0, 0});
  }
  void TearDown() override {
    process_->signals().shared.Clear();
    task_->signals().pending.Clear();
    RecalcInterrupt(*task_);
  }
  static Result<usize> Read(fs::File& f, SignalfdSiginfo* out, usize bytes) {
    u64 pos = 0;
    return f.Read(fs::IoBuffer::Kernel(out, bytes), pos);
  }
  SigInfo Queued(int sig, u64 value) {
    SigInfo info;
    info.signo = sig;
    info.code = kSiQueue;
    info.f.kill.pid = 77;
    info.f.kill.uid = 1000;
    info.f.kill.value = value;
    return info;
  }
  proc::Task* task_ = nullptr;
  proc::Process* process_ = nullptr;
};

TEST(SignalfdSiginfoLayout, OffsetsAreLinuxs) {
  // [linux include/uapi/linux/signalfd.h]
  EXPECT_EQ(offsetof(SignalfdSiginfo, pid), 12u);
  EXPECT_EQ(offsetof(SignalfdSiginfo, tid), 24u);
  EXPECT_EQ(offsetof(SignalfdSiginfo, status), 40u);
  EXPECT_EQ(offsetof(SignalfdSiginfo, int_value), 44u);
  EXPECT_EQ(offsetof(SignalfdSiginfo, ptr), 48u);
  EXPECT_EQ(offsetof(SignalfdSiginfo, utime), 56u);
  EXPECT_EQ(offsetof(SignalfdSiginfo, addr), 72u);
  EXPECT_EQ(offsetof(SignalfdSiginfo, addr_lsb), 80u);
  EXPECT_EQ(offsetof(SignalfdSiginfo, syscall), 84u);
  EXPECT_EQ(offsetof(SignalfdSiginfo, call_addr), 88u);
  EXPECT_EQ(offsetof(SignalfdSiginfo, arch), 96u);
}

TEST(SignalfdSiginfoLayout, FieldsFollowTheSiginfoLayout) {
  SigInfo q;
  q.signo = 40;
  q.code = kSiQueue;
  q.f.kill = {5, 6, 0x1'0000'0007};
  SignalfdSiginfo r = ToSignalfdSiginfo(q);
  EXPECT_EQ(r.signo, 40u);
  EXPECT_EQ(r.code, kSiQueue);
  EXPECT_EQ(r.pid, 5u);
  EXPECT_EQ(r.uid, 6u);
  EXPECT_EQ(r.int_value, 7) << "si_int is the low half of si_value";
  EXPECT_EQ(r.ptr, 0x1'0000'0007u);

  SigInfo kill;
  kill.signo = kSigTerm;
  kill.code = kSiUser;
  kill.f.kill = {9, 10, 0xdead};
  r = ToSignalfdSiginfo(kill);
  EXPECT_EQ(r.pid, 9u);
  EXPECT_EQ(r.ptr, 0u) << "SI_USER carries no value";

  SigInfo chld;
  chld.signo = kSigChld;
  chld.code = kCldExited;
  chld.f.chld = {3, 4, 42, 0, 11, 12};
  r = ToSignalfdSiginfo(chld);
  EXPECT_EQ(r.pid, 3u);
  EXPECT_EQ(r.status, 42);
  EXPECT_EQ(r.utime, 11u);
  EXPECT_EQ(r.stime, 12u);

  SigInfo fault;
  fault.signo = kSigSegv;
  fault.code = kSegvMapErr;
  fault.f.fault.addr = 0x1234;
  r = ToSignalfdSiginfo(fault);
  EXPECT_EQ(r.addr, 0x1234u);
  EXPECT_EQ(r.pid, 0u) << "no pid for a fault";

  SigInfo timer;
  timer.signo = 41;
  timer.code = kSiTimer;
  timer.f.timer = {2, 3, 99};
  r = ToSignalfdSiginfo(timer);
  EXPECT_EQ(r.tid, 2u);
  EXPECT_EQ(r.overrun, 3u);
  EXPECT_EQ(r.int_value, 99);
}

TEST_F(SignalFdTest, ReadsBlockedSignalsThreadFirstThenProcess) {
  lib::RefPtr<fs::File> f =
      CreateSignalFd(SigSet::Of(kSigUsr1) | SigSet::Of(kSigUsr2) | SigSet::Of(40), kSfdNonBlock)
          .value();
  SignalfdSiginfo rec[4] = {};
  EXPECT_EQ(Read(*f, rec, sizeof(rec)).error(), Errno::kEAGAIN);
  EXPECT_EQ(f->Poll(), 0u);
  ASSERT_TRUE(SendToProcess(*process_, Queued(kSigUsr2, 1)).ok());
  ASSERT_TRUE(SendToTask(*task_, Queued(kSigUsr1, 2)).ok());
  ASSERT_TRUE(SendToProcess(*process_, Queued(40, 3)).ok());
  ASSERT_TRUE(SendToProcess(*process_, Queued(40, 4)).ok());
  EXPECT_EQ(f->Poll(), fs::ev::kReadable);
  EXPECT_EQ(Read(*f, rec, sizeof(rec) - 1).value(), 3 * sizeof(SignalfdSiginfo))
      << "whole records only";
  EXPECT_EQ(rec[0].signo, u32{kSigUsr1}) << "the thread's own pending set first";
  EXPECT_EQ(rec[0].int_value, 2);
  EXPECT_EQ(rec[1].signo, u32{kSigUsr2});
  EXPECT_EQ(rec[2].signo, 40u);
  EXPECT_EQ(rec[2].int_value, 3) << "real-time instances queue in order";
  EXPECT_EQ(rec[2].pid, 77u);
  EXPECT_EQ(Read(*f, rec, sizeof(rec)).value(), sizeof(SignalfdSiginfo));
  EXPECT_EQ(rec[0].int_value, 4);
  EXPECT_EQ(Read(*f, rec, 100).error(), Errno::kEINVAL) << "shorter than one record";
  EXPECT_TRUE(process_->signals().shared.set().empty());
}

TEST_F(SignalFdTest, MaskUpdatesAndUnblockableSignals) {
  lib::RefPtr<fs::File> f =
      CreateSignalFd(SigSet::Of(kSigUsr1) | SigSet::Of(kSigKill) | SigSet::Of(kSigStop),
                     kSfdNonBlock | kSfdCloexec)
          .value();
  EXPECT_EQ(SignalFdMask(*f).value(), SigSet::Of(kSigUsr1)) << "SIGKILL and SIGSTOP dropped";
  EXPECT_EQ(f->flags() & fs::o::kNonBlock, fs::o::kNonBlock);
  EXPECT_EQ(CreateSignalFd(SigSet::Of(kSigUsr1), 0x1234).error(), Errno::kEINVAL);
  ASSERT_TRUE(SendToProcess(*process_, Queued(kSigUsr2, 1)).ok());
  SignalfdSiginfo rec = {};
  EXPECT_EQ(Read(*f, &rec, sizeof(rec)).error(), Errno::kEAGAIN) << "USR2 is not in the mask";
  EXPECT_EQ(f->Poll(), 0u);
  // Re-masking through the same file: pollers hear about it.
  int notified = 0;
  fs::PollQueue::Entry entry;
  entry.callback = [](fs::PollQueue::Entry& e, u32) { ++*static_cast<int*>(e.data); };
  entry.data = &notified;
  ASSERT_NE(f->poll_queue(), nullptr);
  f->poll_queue()->Add(entry);
  ASSERT_TRUE(UpdateSignalFd(*f, SigSet::Of(kSigUsr2)).ok());
  EXPECT_EQ(notified, 1);
  EXPECT_EQ(f->Poll(), fs::ev::kReadable);
  ASSERT_TRUE(SendToProcess(*process_, Queued(kSigUsr1, 1)).ok());
  EXPECT_EQ(notified, 2) << "a new pending signal notifies signalfd pollers";
  fs::PollQueue::Remove(entry);
  EXPECT_EQ(Read(*f, &rec, sizeof(rec)).value(), sizeof(rec));
  EXPECT_EQ(rec.signo, u32{kSigUsr2});
  EXPECT_TRUE(process_->signals().shared.Has(kSigUsr1)) << "not taken: outside the mask";
}

TEST_F(SignalFdTest, UpdateRejectsOtherFiles) {
  lib::RefPtr<fs::File> f = CreateSignalFd(SigSet::Of(kSigUsr1), 0).value();
  EXPECT_EQ(f->kind(), fs::FileKind::kSignalFd);
  EXPECT_EQ(f->Describe().value().view(), lib::string_view("anon_inode:[signalfd]"));
  EXPECT_EQ(f->Seek(10, 0).value(), 0u) << "lseek succeeds and does nothing";
  u64 pos = 0;
  u64 v = 1;
  EXPECT_EQ(f->Write(fs::IoBuffer::KernelConst(&v, sizeof(v)), pos).error(), Errno::kEINVAL);
}

TEST_F(SignalFdTest, BlockingReadWakesWhenASignalArrives) {
  lib::RefPtr<fs::File> f = CreateSignalFd(SigSet::Of(kSigUsr1), 0).value();
  struct Arg {
    proc::Process* p;
    bool sent;
  } arg{process_, false};
  proc::Task* sender = proc::Task::Create(
                           "sender",
                           [](void* a) {
                             auto* x = static_cast<Arg*>(a);
                             SigInfo info = KernelInfo(kSigUsr1);
                             (void)SendToProcess(*x->p, info);
                             x->sent = true;
                             proc::sched::ExitCurrent();
                           },
                           &arg)
                           .value();
  proc::sched::MakeRunnable(*sender);
  SignalfdSiginfo rec = {};
  EXPECT_EQ(Read(*f, &rec, sizeof(rec)).value(), sizeof(rec));
  EXPECT_TRUE(arg.sent);
  EXPECT_EQ(rec.signo, u32{kSigUsr1});
  EXPECT_EQ(rec.code, kSiKernel);
  for (int i = 0; i < 100 && sender->state() != proc::TaskState::kDead; ++i) proc::sched::Yield();
  ASSERT_EQ(sender->state(), proc::TaskState::kDead);
  proc::Task::Destroy(sender);
}

TEST_F(SignalFdTest, BlockingReadIsInterruptedByAnUnblockedSignal) {
  lib::RefPtr<fs::File> f = CreateSignalFd(SigSet::Of(kSigUsr1), 0).value();
  ASSERT_TRUE(SendToProcess(*process_, KernelInfo(kSigTerm)).ok());
  SignalfdSiginfo rec = {};
  EXPECT_EQ(Read(*f, &rec, sizeof(rec)).error(), Errno::kERESTARTSYS);
}

}  // namespace
}  // namespace kernel::signal
