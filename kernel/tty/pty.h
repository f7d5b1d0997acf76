#pragma once
/// Pseudo-terminals [man 7 pty, man 4 pts]: a master and a slave joined back to back. What is
/// written to the master is input to the slave's line discipline; what the slave writes
/// (after output processing) is read from the master. Masters come from /dev/ptmx, slaves
/// are /dev/pts/N; N is allocated here (devpts numbering), starting at 0.
///
/// The slave starts locked (TIOCSPTLCK, unlockpt(3)). Closing the master hangs the slave up;
/// once every slave file is closed, a master read returns EIO, as on Linux.
#include "kernel/lib/ref_ptr.h"
#include "kernel/lib/result.h"
#include "kernel/tty/tty.h"

namespace kernel::tty {

inline constexpr u32 kMaxPtys = 256;

class Pty final : public lib::RefCounted<Pty>, public TtyDriver {
 public:
  /// A new pair with the lowest free index; ENOSPC when all kMaxPtys are in use.
  static Result<lib::RefPtr<Pty>> Create();
  /// The pair with this index whose master is still open, or null.
  static Pty* Find(u32 index);
  ~Pty();

  u32 index() const { return index_; }
  Tty& slave() { return slave_; }
  bool locked() const { return locked_; }
  void set_locked(bool l) { locked_ = l; }

  // ---- the master side ----
  Result<usize> MasterRead(u8* out, usize n, bool nonblock);
  Result<usize> MasterWrite(const u8* data, usize n);
  /// TIOCGPTN, TIOCSPTLCK, and the termios ioctls forwarded to the slave (as Linux does).
  Result<i64> MasterIoctl(proc::Task& task, u32 cmd, u64 arg);
  bool MasterReadable() const { return count_ > 0 || (slave_opens_ == 0 && slave_opened_once_); }
  void MasterClosed();
  proc::WaitQueue& master_wait() { return master_wait_; }
  /// The master's readiness changes, for poll(2)/epoll.
  fs::PollQueue& master_poll() { return master_poll_; }

  // ---- the slave side: open counting ----
  /// EIO while locked or after the master closed.
  Result<void> SlaveOpened();
  void SlaveClosed();

  // TtyDriver: slave output goes to the master's buffer.
  usize Write(const u8* data, usize n) override;
  usize WriteRoom() override { return kBufferSize - count_; }
  void OnSlaveEvent() override { WakeMaster(); }
  /// Linux's pty_flush_buffer discards only what sits in the master's flip buffer, not yet
  /// taken by its line discipline; slave output lands in buf_ at once here, so there is never
  /// anything to discard (an ISIG flush must not eat an earlier echo the master has not read).
  void FlushOutput() override {}

  Pty(u32 index);

 private:
  static constexpr usize kBufferSize = 4096;
  void WakeMaster();

  u32 index_;
  Tty slave_;
  bool locked_ = true;
  bool master_open_ = true;
  bool master_exclusive_ = false;  // TIOCEXCL on the master itself (it is never re-opened)
  u32 slave_opens_ = 0;
  bool slave_opened_once_ = false;
  u8 buf_[kBufferSize] = {};
  usize head_ = 0;
  usize count_ = 0;
  proc::WaitQueue master_wait_;
  fs::PollQueue master_poll_;
};

}  // namespace kernel::tty
