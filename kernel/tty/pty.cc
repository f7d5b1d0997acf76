#include "kernel/tty/pty.h"

#include "kernel/fs/abi.h"
#include "kernel/lib/alloc.h"

namespace kernel::tty {
namespace {
Pty* g_ptys[kMaxPtys] = {};

}  // namespace

Pty::Pty(u32 index) : index_(index), slave_(*this, "pts") {
  slave_.ldisc().SetTermios(PtySlaveTermios());
}

Pty::~Pty() {
  if (index_ < kMaxPtys && g_ptys[index_] == this) g_ptys[index_] = nullptr;
}

Result<lib::RefPtr<Pty>> Pty::Create() {
  for (u32 i = 0; i < kMaxPtys; ++i) {
    if (g_ptys[i] != nullptr) continue;
    Pty* p = TRY(lib::TryNew<Pty>(i));
    g_ptys[i] = p;
    return lib::AdoptRef(p);
  }
  return Errno::kENOSPC;
}

Pty* Pty::Find(u32 index) {
  if (index >= kMaxPtys) return nullptr;
  Pty* p = g_ptys[index];
  return p != nullptr && p->master_open_ ? p : nullptr;
}

void Pty::WakeMaster() {
  master_wait_.WakeAll();
  master_poll_.Notify(fs::ev::kReadable | fs::ev::kHup);
}

usize Pty::Write(const u8* data, usize n) {
  usize room = kBufferSize - count_;
  usize take = n < room ? n : room;
  for (usize i = 0; i < take; ++i) buf_[(head_ + count_ + i) % kBufferSize] = data[i];
  count_ += take;
  if (take > 0) WakeMaster();
  return take;
}

Result<usize> Pty::MasterRead(u8* out, usize n, bool nonblock) {
  for (;;) {
    if (count_ > 0) {
      usize take = n < count_ ? n : count_;
      for (usize i = 0; i < take; ++i) out[i] = buf_[(head_ + i) % kBufferSize];
      head_ = (head_ + take) % kBufferSize;
      count_ -= take;
      slave_.WakeWriters();
      return take;
    }
    // Every slave file closed (after one was opened): EIO, which is how terminal emulators
    // learn that the shell is gone [linux n_tty_read on a hung-up master].
    if (slave_opened_once_ && slave_opens_ == 0) return Errno::kEIO;
    if (nonblock) return Errno::kEAGAIN;
    TRY(master_wait_.WaitInterruptible([this] { return MasterReadable(); }));
  }
}

Result<usize> Pty::MasterWrite(const u8* data, usize n) {
  slave_.Receive(data, n);
  return n;
}

Result<i64> Pty::MasterIoctl(proc::Task& task, u32 cmd, u64 arg) {
  switch (cmd) {
    case kTiocGptn:
      TRY(mm::UserOut<u32>(arg).Write(index_));
      return 0;
    case kTiocSptlck: {
      i32 lock = TRY(mm::UserIn<i32>(arg).Read());
      locked_ = lock != 0;
      return 0;
    }
    case kTiocSctty:
    case kTiocNotty:
    case kTiocGpgrp:
    case kTiocSpgrp:
    case kTiocGsid:
      // Job-control ioctls on a master act on the master itself, which is never anyone's
      // controlling terminal here. TODO(#8): a master as controlling terminal (rare).
      return Errno::kENOTTY;
    // The master's own input queue (what the slave wrote) and its own flags, not the
    // slave's [linux tty_ioctl and n_tty_ioctl act on the master's tty_struct for these].
    case kFionread:
      TRY(mm::UserOut<i32>(arg).Write(static_cast<i32>(count_)));
      return 0;
    case kTcFlsh:
      if (arg != kTciFlush && arg != kTcoFlush && arg != kTcioFlush) return Errno::kEINVAL;
      if (arg != kTcoFlush) {
        head_ = count_ = 0;
        slave_.WakeWriters();
      }
      return 0;
    case kTiocExcl:
      master_exclusive_ = true;
      return 0;
    case kTiocNxcl:
      master_exclusive_ = false;
      return 0;
    case kTiocGexcl:
      TRY(mm::UserOut<i32>(arg).Write(master_exclusive_ ? 1 : 0));
      return 0;
    default:
      return slave_.Ioctl(task, cmd, arg);
  }
}

void Pty::MasterClosed() {
  master_open_ = false;
  slave_.Hangup();
}

Result<void> Pty::SlaveOpened() {
  if (!master_open_ || locked_) return Errno::kEIO;
  ++slave_opens_;
  slave_opened_once_ = true;
  slave_.ClearHangup();
  return Ok();
}

void Pty::SlaveClosed() {
  if (slave_opens_ > 0) --slave_opens_;
  if (slave_opens_ == 0) WakeMaster();
}

}  // namespace kernel::tty
