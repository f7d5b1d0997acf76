#pragma once
/// The TTY core: one terminal, its line discipline, its attributes and window size, its
/// session and foreground process group, and the job-control rules for readers and writers
/// [POSIX "General Terminal Interface" §11.1.3-11.1.5; linux drivers/tty/tty_io.c,
/// tty_jobctrl.c, n_tty.c].
///
/// A driver (serial port, pty master) feeds input with Receive() from process context and
/// takes output through TtyDriver::Write. Files (tty/tty_file.cc) call Read, Write and Ioctl
/// on behalf of a task; these sleep interruptibly and return ERESTARTSYS for the signal code.
#include "kernel/fs/poll_queue.h"
#include "kernel/lib/ref_ptr.h"
#include "kernel/lib/result.h"
#include "kernel/mm/user_ptr.h"
#include "kernel/proc/wait_queue.h"
#include "kernel/tty/ldisc.h"
#include "kernel/tty/session.h"

namespace kernel::proc {
class Task;
}

namespace kernel::tty {

class TtyDriver {
 public:
  /// Output to the device, after output processing. Returns how much was taken (a pty master
  /// whose buffer is full takes less); the rest waits for WriteRoom().
  virtual usize Write(const u8* data, usize n) = 0;
  /// Bytes the device can take now without blocking.
  virtual usize WriteRoom() { return ~usize{0}; }
  /// The slave was closed for the last time, or hung up (pty master readers see EOF/EIO).
  virtual void OnSlaveEvent() {}
  /// Discards output not yet taken by the other side (TCOFLUSH, ^C without NOFLSH).
  virtual void FlushOutput() {}

 protected:
  ~TtyDriver() = default;
};

class Tty final : public LineDiscipline::Sink {
 public:
  Tty(TtyDriver& driver, const char* name);
  ~Tty();

  const char* name() const { return name_; }
  LineDiscipline& ldisc() { return ldisc_; }

  // ---- the device side ----
  /// Input bytes from the device (process context: the console worker, a pty master write).
  void Receive(const u8* data, usize n);
  /// The driver can take more output now (wakes writers).
  void WakeWriters();

  // ---- the file side; `task` is the caller ----
  /// read(2): canonical lines, or VMIN/VTIME raw reads. Background readers get SIGTTIN.
  Result<usize> Read(proc::Task& task, u8* out, usize n, bool nonblock);
  /// write(2): output processing, IXON stops, TOSTOP background writes get SIGTTOU.
  Result<usize> Write(proc::Task& task, const u8* data, usize n, bool nonblock);
  /// The termios/job-control ioctls. ENOTTY for others.
  Result<i64> Ioctl(proc::Task& task, u32 cmd, u64 arg);
  /// Readiness for poll: readable (a line, raw bytes, or hung up), writable.
  bool PollReadable() const { return hung_up_ || ldisc_.Readable(); }
  bool PollWritable() const { return hung_up_ || !ldisc_.output_stopped(); }
  proc::WaitQueue& poll_wait() { return read_wait_; }
  /// Where poll(2)/epoll hear that readiness may have changed (the file glue in
  /// kernel/fs/devfs/tty_files.cc subscribes here).
  fs::PollQueue& poll_queue() { return poll_; }

  /// Opening the terminal (without O_NOCTTY): a session leader with no controlling terminal
  /// acquires this one if it is free [linux tty_open_proc_set_tty].
  void MaybeAcquireOnOpen(proc::Task& task);

  /// Hang-up (modem carrier lost, pty master closed, vhangup): the session leader gets
  /// SIGHUP and SIGCONT, the session loses its terminal, readers see end of file and writers
  /// EIO from now on [linux __tty_hangup].
  void Hangup();
  bool hung_up() const { return hung_up_; }
  /// A pty slave is usable again once re-opened after its master stays (not for serial).
  void ClearHangup() { hung_up_ = false; }
  /// The session leader exited: SIGHUP to the foreground group, terminal released
  /// [linux disassociate_ctty(1)].
  void SessionLeaderExited();

  /// TIOCEXCL exclusive mode: while set, opening the terminal again takes CAP_SYS_ADMIN
  /// (EBUSY otherwise) [man 2 ioctl_tty; linux tty_reopen].
  bool exclusive() const { return exclusive_; }
  /// A file was opened on, or closed from, this terminal. The last close of a terminal that
  /// outlives its files (a serial port) ends exclusive mode, since Linux frees the tty_struct
  /// then; a pty slave keeps it while its master is open, as its tty_struct lives on.
  void FileOpened() { ++open_files_; }
  void FileClosed(bool last_close_resets);

  Session* session() const { return session_.get(); }
  ProcessGroup* foreground() const { return foreground_.get(); }

  // LineDiscipline::Sink
  void Output(const u8* data, usize n) override;
  void Signal(int sig) override;
  void OutputStopped(bool stopped) override;
  /// ISIG without NOFLSH: echoes not yet handed to the driver are dropped, and the driver
  /// discards what it still holds [linux isig: echo buffer cleared, tty_driver_flush_buffer].
  void FlushOutput() override {
    echo_len_ = 0;
    driver_.FlushOutput();
  }

 private:
  enum class Access : u8 { kRead, kWrite, kChange };
  /// POSIX job control for a process that uses its controlling terminal from a background
  /// group: Ok to proceed, ERESTARTSYS after sending SIGTTIN/SIGTTOU, or EIO
  /// [linux tty_check_change, __tty_check_change, n_tty job_control].
  Result<void> CheckJobControl(proc::Task& task, Access access);
  Result<void> SetCtty(proc::Task& task, bool steal);
  void ReleaseCtty();
  Result<void> SetTermiosFromUser(proc::Task& task, u32 cmd, u64 arg);
  bool IsCtty(proc::Task& task) const;
  void WakeReaders();
  void FlushEchoes();

  // Echoes made while a batch of input is received are held here and handed to the driver
  // when the batch is done, or once 256 accumulate, as n_tty's echo buffer is committed
  // (ECHO_COMMIT_WATERMARK, flush_echoes at the end of n_tty_receive_buf). So a ^C in the
  // same write as "abc" discards abc's echo, while an echo the master already holds stays.
  static constexpr usize kEchoCommit = 256;
  u8 echo_[kEchoCommit] = {};
  usize echo_len_ = 0;
  bool receiving_ = false;

  TtyDriver& driver_;
  char name_[16] = {};
  LineDiscipline ldisc_;
  // A new terminal, serial or pty, has no size until someone sets one: 0 rows, 0 columns
  // (Linux zero-fills tty_struct.winsize and no driver sets it).
  Winsize winsize_{0, 0, 0, 0};
  lib::RefPtr<Session> session_;
  lib::RefPtr<ProcessGroup> foreground_;
  bool hung_up_ = false;
  bool exclusive_ = false;
  u32 open_files_ = 0;
  u64 last_input_ns_ = 0;
  proc::WaitQueue read_wait_;
  proc::WaitQueue write_wait_;
  fs::PollQueue poll_;
};

}  // namespace kernel::tty
