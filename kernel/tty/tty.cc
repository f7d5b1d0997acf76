#include "kernel/tty/tty.h"

#include "kernel/fs/abi.h"
#include "kernel/proc/process.h"
#include "kernel/signal/send.h"
#include "kernel/time/timer.h"

namespace kernel::tty {
namespace {

constexpr u64 kDecisecondNs = 100'000'000;

// Ignored or blocked: a background process that does not want SIGTTIN/SIGTTOU
// [linux is_ignored].
bool IgnoresOrBlocks(proc::Task& task, int sig) {
  if (task.signals().blocked.Has(sig)) return true;
  const lib::RefPtr<signal::Handlers>& h = task.signals().handlers;
  return h && h->Get(sig).handler == signal::kSigIgn;
}

}  // namespace

Tty::Tty(TtyDriver& driver, const char* name) : driver_(driver) {
  usize i = 0;
  for (; name[i] != '\0' && i + 1 < sizeof(name_); ++i) name_[i] = name[i];
  name_[i] = '\0';
}

Tty::~Tty() { ReleaseCtty(); }

// ---- device side ----

// Every readiness change is announced to sleeping readers/writers and to pollers.
void Tty::WakeReaders() {
  read_wait_.WakeAll();
  poll_.Notify(fs::ev::kReadable | fs::ev::kHup);
}

void Tty::WakeWriters() {
  write_wait_.WakeAll();
  poll_.Notify(fs::ev::kWritable | fs::ev::kHup);
}

void Tty::Receive(const u8* data, usize n) {
  receiving_ = true;
  for (usize i = 0; i < n; ++i) ldisc_.Receive(data[i], *this);
  receiving_ = false;
  FlushEchoes();
  last_input_ns_ = time::MonotonicNs();
  WakeReaders();
}

void Tty::FlushEchoes() {
  if (echo_len_ > 0) (void)driver_.Write(echo_, echo_len_);
  echo_len_ = 0;
}

void Tty::Output(const u8* data, usize n) {
  if (!receiving_) {
    (void)driver_.Write(data, n);
    return;
  }
  while (n > 0) {
    usize take = kEchoCommit - echo_len_ < n ? kEchoCommit - echo_len_ : n;
    for (usize i = 0; i < take; ++i) echo_[echo_len_ + i] = data[i];
    echo_len_ += take;
    data += take;
    n -= take;
    if (echo_len_ == kEchoCommit) FlushEchoes();
  }
}

void Tty::Signal(int sig) {
  if (foreground_) (void)signal::SendToGroup(*foreground_, signal::KernelInfo(sig));
}

void Tty::OutputStopped(bool stopped) {
  if (!stopped) WakeWriters();
}

// ---- controlling terminal ----

bool Tty::IsCtty(proc::Task& task) const {
  proc::Process* p = task.process();
  if (p == nullptr || !p->job().group || !session_) return false;
  return &p->job().group->session() == session_.get() && !p->job().detached_ctty;
}

void Tty::ReleaseCtty() {
  if (session_ && session_->ctty() == this) session_->set_ctty(nullptr);
  session_ = nullptr;
  foreground_ = nullptr;
}

Result<void> Tty::SetCtty(proc::Task& task, bool steal) {
  proc::Process& p = *task.process();
  Session& s = p.job().group->session();
  const bool leader = s.sid() == p.pid();
  if (leader && session_.get() == &s) return Ok();
  if (!leader || s.ctty() != nullptr) return Errno::kEPERM;
  if (session_) {
    // Another session has it: only root may take it away, with arg 1 [man 4 tty_ioctl].
    if (!steal || task.credentials().euid != 0) return Errno::kEPERM;
    ReleaseCtty();
  }
  session_ = p.job().group->session_ref();
  foreground_ = p.job().group;
  s.set_ctty(this);
  p.job().detached_ctty = false;
  return Ok();
}

void Tty::MaybeAcquireOnOpen(proc::Task& task) {
  proc::Process* p = task.process();
  if (p == nullptr || !p->job().group || session_) return;
  Session& s = p->job().group->session();
  if (s.sid() == p->pid() && s.ctty() == nullptr && !s.leader_exited) (void)SetCtty(task, false);
}

void Tty::Hangup() {
  hung_up_ = true;
  if (session_) {
    if (proc::Process* leader = FindProcess(session_->sid())) {
      (void)signal::SendToProcess(*leader, signal::KernelInfo(signal::kSigHup));
      (void)signal::SendToProcess(*leader, signal::KernelInfo(signal::kSigCont));
    }
  }
  ReleaseCtty();
  ldisc_.FlushInput();
  WakeReaders();
  WakeWriters();
  driver_.OnSlaveEvent();
}

void Tty::FileClosed(bool last_close_resets) {
  if (open_files_ > 0) --open_files_;
  if (open_files_ == 0 && last_close_resets) exclusive_ = false;
}

void Tty::SessionLeaderExited() {
  if (foreground_) (void)signal::SendToGroup(*foreground_, signal::KernelInfo(signal::kSigHup));
  ReleaseCtty();
}

Result<void> Tty::CheckJobControl(proc::Task& task, Access access) {
  if (!IsCtty(task) || !foreground_) return Ok();
  proc::Process& p = *task.process();
  if (p.job().group.get() == foreground_.get()) return Ok();
  const int sig = access == Access::kRead ? signal::kSigTtin : signal::kSigTtou;
  if (IgnoresOrBlocks(task, sig)) {
    if (access == Access::kRead) return Errno::kEIO;
    return Ok();  // a background write or change that does not stop the writer proceeds
  }
  if (p.job().group->IsOrphaned()) return Errno::kEIO;
  (void)signal::SendToGroup(*p.job().group, signal::KernelInfo(sig));
  return Errno::kERESTARTSYS;
}

// ---- read and write ----

Result<usize> Tty::Read(proc::Task& task, u8* out, usize n, bool nonblock) {
  if (n == 0) return usize{0};
  TRY(CheckJobControl(task, Access::kRead));
  const Termios& t = ldisc_.termios();
  auto ready = [&] { return ldisc_.Readable() || hung_up_; };
  if ((t.lflag & kICanon) != 0) {
    for (;;) {
      if (ldisc_.Readable()) return ldisc_.Read(out, n);
      if (hung_up_) return usize{0};
      if (nonblock) return Errno::kEAGAIN;
      TRY(read_wait_.WaitInterruptible(ready));
    }
  }
  // Non-canonical: VMIN bytes, with VTIME as an overall (MIN 0) or inter-byte (MIN > 0)
  // timer in tenths of a second [man 3 termios, "Noncanonical mode"].
  const usize vmin = t.cc[kVMin];
  const u64 vtime_ns = t.cc[kVTime] * kDecisecondNs;
  const usize target = vmin < n ? vmin : n;
  const u64 start = time::MonotonicNs();
  usize got = 0;
  for (;;) {
    got += ldisc_.Read(out + got, n - got);
    if (got == n || (target > 0 && got >= target) || (vmin == 0 && got > 0)) return got;
    if (hung_up_) return got;
    if (vmin == 0 && vtime_ns == 0) {
      if (nonblock && got == 0) return Errno::kEAGAIN;
      return got;
    }
    if (nonblock) return got > 0 ? Result<usize>(got) : Result<usize>(Errno::kEAGAIN);
    u64 deadline = 0;
    if (vtime_ns != 0) {
      if (vmin == 0) {
        deadline = start + vtime_ns;
      } else if (got > 0) {
        deadline = last_input_ns_ + vtime_ns;
      }
    }
    Result<void> r = deadline != 0 ? read_wait_.WaitInterruptibleUntil(ready, deadline)
                                   : read_wait_.WaitInterruptible(ready);
    if (r.is_error()) {
      if (r.error() == Errno::kETIMEDOUT) return got + ldisc_.Read(out + got, n - got);
      if (got > 0) return got;
      return r.error();
    }
  }
}

Result<usize> Tty::Write(proc::Task& task, const u8* data, usize n, bool nonblock) {
  if (hung_up_) return Errno::kEIO;
  if ((ldisc_.termios().lflag & kToStop) != 0) TRY(CheckJobControl(task, Access::kWrite));
  usize done = 0;
  u8 chunk[256];
  while (done < n) {
    auto can_write = [&] {
      return hung_up_ || (!ldisc_.output_stopped() && driver_.WriteRoom() > 1);
    };
    if (!can_write()) {
      if (nonblock) return done > 0 ? Result<usize>(done) : Result<usize>(Errno::kEAGAIN);
      Result<void> r = write_wait_.WaitInterruptible(can_write);
      if (r.is_error()) return done > 0 ? Result<usize>(done) : Result<usize>(r.error());
      continue;
    }
    if (hung_up_) return done > 0 ? Result<usize>(done) : Result<usize>(Errno::kEIO);
    usize room = driver_.WriteRoom();
    usize cap = room < sizeof(chunk) ? room : sizeof(chunk);
    usize made;
    usize used = ldisc_.ProcessOutput(data + done, n - done, chunk, cap, &made);
    (void)driver_.Write(chunk, made);
    done += used;
    if (used == 0) break;
  }
  return done;
}

// ---- ioctls [man 2 ioctl_tty] ----

Result<void> Tty::SetTermiosFromUser(proc::Task& task, u32 cmd, u64 arg) {
  TRY(CheckJobControl(task, Access::kChange));
  Termios t;
  if (cmd == kTcSets2 || cmd == kTcSetsW2 || cmd == kTcSetsF2) {
    Termios2 t2 = TRY(mm::UserIn<Termios2>(arg).Read());
    t = t2.t;
  } else {
    t = TRY(mm::UserIn<Termios>(arg).Read());
  }
  if (cmd == kTcSetsF || cmd == kTcSetsF2) ldisc_.FlushInput();
  ldisc_.SetTermios(t);
  WakeReaders();
  WakeWriters();
  return Ok();
}

Result<i64> Tty::Ioctl(proc::Task& task, u32 cmd, u64 arg) {
  switch (cmd) {
    case kTcGets:
      TRY(mm::UserOut<Termios>(arg).Write(ldisc_.termios()));
      return 0;
    case kTcGets2: {
      Termios2 t2{ldisc_.termios(), BaudOf(ldisc_.termios().cflag), BaudOf(ldisc_.termios().cflag)};
      TRY(mm::UserOut<Termios2>(arg).Write(t2));
      return 0;
    }
    case kTcSets:
    case kTcSetsW:
    case kTcSetsF:
    case kTcSets2:
    case kTcSetsW2:
    case kTcSetsF2:
      TRY(SetTermiosFromUser(task, cmd, arg));
      return 0;
    case kTiocGwinsz:
      TRY(mm::UserOut<Winsize>(arg).Write(winsize_));
      return 0;
    case kTiocSwinsz: {
      Winsize w = TRY(mm::UserIn<Winsize>(arg).Read());
      bool changed = w.row != winsize_.row || w.col != winsize_.col ||
                     w.xpixel != winsize_.xpixel || w.ypixel != winsize_.ypixel;
      winsize_ = w;
      if (changed && foreground_) {
        (void)signal::SendToGroup(*foreground_, signal::KernelInfo(signal::kSigWinch));
      }
      return 0;
    }
    case kTiocSctty:
      TRY(SetCtty(task, arg == 1));
      return 0;
    case kTiocNotty: {
      if (!IsCtty(task)) return Errno::kENOTTY;
      proc::Process& p = *task.process();
      if (session_->sid() == p.pid()) {
        // The leader gives the terminal up for the whole session [linux disassociate_ctty(0)].
        if (foreground_) {
          (void)signal::SendToGroup(*foreground_, signal::KernelInfo(signal::kSigHup));
          (void)signal::SendToGroup(*foreground_, signal::KernelInfo(signal::kSigCont));
        }
        ReleaseCtty();
      } else {
        p.job().detached_ctty = true;
      }
      return 0;
    }
    case kTiocGpgrp:
      if (!IsCtty(task)) return Errno::kENOTTY;
      TRY(mm::UserOut<i32>(arg).Write(foreground_ ? foreground_->pgid() : 0));
      return 0;
    case kTiocSpgrp: {
      TRY(CheckJobControl(task, Access::kChange));
      if (!IsCtty(task)) return Errno::kENOTTY;
      i32 pgid = TRY(mm::UserIn<i32>(arg).Read());
      if (pgid < 0) return Errno::kEINVAL;
      ProcessGroup* g = FindGroup(pgid);
      if (g == nullptr) return Errno::kESRCH;
      if (&g->session() != session_.get()) return Errno::kEPERM;
      foreground_ = lib::RefPtr<ProcessGroup>(g);
      return 0;
    }
    case kTiocGsid:
      if (!IsCtty(task)) return Errno::kENOTTY;
      TRY(mm::UserOut<i32>(arg).Write(session_->sid()));
      return 0;
    case kTcFlsh:
      TRY(CheckJobControl(task, Access::kChange));
      if (arg != kTciFlush && arg != kTcoFlush && arg != kTcioFlush) return Errno::kEINVAL;
      if (arg != kTcoFlush) ldisc_.FlushInput();
      if (arg != kTciFlush) driver_.FlushOutput();
      return 0;
    case kTcXonc: {
      TRY(CheckJobControl(task, Access::kChange));
      u8 c;
      switch (arg) {
        case kTcoOff:
          ldisc_.set_output_stopped(true);
          return 0;
        case kTcoOn:
          ldisc_.set_output_stopped(false);
          WakeWriters();
          return 0;
        case kTciOff:
          c = ldisc_.termios().cc[kVStop];
          break;
        case kTciOn:
          c = ldisc_.termios().cc[kVStart];
          break;
        default:
          return Errno::kEINVAL;
      }
      if (c != 0) (void)driver_.Write(&c, 1);
      return 0;
    }
    case kFionread:
      TRY(mm::UserOut<i32>(arg).Write(static_cast<i32>(ldisc_.ReadableBytes())));
      return 0;
    case kTiocOutq:
      TRY(mm::UserOut<i32>(arg).Write(0));
      return 0;
    case kTcSbrk:
    case kTcSbrkp:
      return 0;  // output is never queued
    case kTiocExcl:
      exclusive_ = true;
      return 0;
    case kTiocNxcl:
      exclusive_ = false;
      return 0;
    case kTiocGexcl:
      TRY(mm::UserOut<i32>(arg).Write(exclusive_ ? 1 : 0));
      return 0;
    case kTiocSti: {
      if (!IsCtty(task) && task.credentials().euid != 0) return Errno::kEPERM;
      u8 c = TRY(mm::UserIn<u8>(arg).Read());
      Receive(&c, 1);
      return 0;
    }
    case kTiocVhangup:
      if (task.credentials().euid != 0) return Errno::kEPERM;
      Hangup();
      return 0;
    default:
      return Errno::kENOTTY;
  }
}

}  // namespace kernel::tty
