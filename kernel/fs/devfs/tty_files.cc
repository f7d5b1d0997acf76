// The terminal devices: files over kernel/tty's terminals [linux drivers/tty/tty_io.c
// tty_open, pty.c ptmx_open]. ttyS0/ttyS1 (4:64+) and /dev/console (5:1, = ttyS0) are the
// serial terminals; /dev/tty (5:0) is the caller's controlling terminal; /dev/ptmx (5:2)
// makes a pseudo-terminal pair and opens its master; /dev/pts/N (136:N) opens a slave.
//
// Opening a terminal without O_NOCTTY makes it the controlling terminal of a session leader
// that has none, except through /dev/tty, /dev/console and a pty master, which Linux never
// makes controlling on open (tty_open's noctty rule).
#include "kernel/fs/actor.h"
#include "kernel/fs/devfs/builtin_devices.h"
#include "kernel/fs/devpts/devpts.h"
#include "kernel/fs/poll_queue.h"
#include "kernel/lib/alloc.h"
#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/tty/pty.h"
#include "kernel/tty/serial.h"

namespace kernel::fs::devfs {
namespace {

// Bytes moved per call into the TTY layer (its buffers are 4 KiB).
constexpr usize kChunk = 4096;

// Moves up to n bytes from a producer `fn(kernel_buf, n) -> Result<usize>` to `buf`.
template <typename Fn>
Result<usize> ReadThrough(const IoBuffer& buf, Fn fn) {
  if (buf.size() == 0) return usize{0};
  usize n = buf.size() < kChunk ? buf.size() : kChunk;
  u8* chunk = static_cast<u8*>(lib::Allocate(n));
  if (chunk == nullptr) return Errno::kENOMEM;
  Result<usize> got = fn(chunk, n);
  if (got.ok() && got.value() > 0) {
    Result<void> copied = buf.Write(0, chunk, got.value());
    if (copied.is_error()) got = copied.error();
  }
  lib::Free(chunk);
  return got;
}

// Feeds `buf` to a consumer `fn(kernel_buf, n) -> Result<usize>` chunk by chunk; a short or
// failed step ends the write (what was taken so far is returned).
template <typename Fn>
Result<usize> WriteThrough(const IoBuffer& buf, Fn fn) {
  if (buf.size() == 0) return usize{0};
  usize cap = buf.size() < kChunk ? buf.size() : kChunk;
  u8* chunk = static_cast<u8*>(lib::Allocate(cap));
  if (chunk == nullptr) return Errno::kENOMEM;
  usize done = 0;
  Result<usize> result = usize{0};
  while (done < buf.size()) {
    usize n = buf.size() - done < cap ? buf.size() - done : cap;
    Result<void> copied = buf.Read(done, chunk, n);
    if (copied.is_error()) {
      result = copied.error();
      break;
    }
    Result<usize> r = fn(chunk, n);
    if (r.is_error()) {
      result = r.error();
      break;
    }
    done += r.value();
    if (r.value() < n) break;
  }
  lib::Free(chunk);
  if (done > 0 || result.ok()) return done;
  return result;
}

proc::Task& Caller() { return *proc::sched::Current(); }

// The pty whose slave is `t`, or null (a serial terminal).
tty::Pty* PtyOf(tty::Tty& t) {
  for (u32 i = 0; i < tty::kMaxPtys; ++i) {
    tty::Pty* p = tty::Pty::Find(i);
    if (p != nullptr && &p->slave() == &t) return p;
  }
  return nullptr;
}

// A terminal (serial or pty slave) open through a device node.
class TtyFile final : public DeviceFile {
 public:
  TtyFile(const Path& path, lib::RefPtr<Inode> inode, u32 flags, tty::Tty& t,
          lib::RefPtr<tty::Pty> pty)
      : DeviceFile(path, lib::move(inode), flags), tty_(t), pty_(lib::move(pty)) {}
  ~TtyFile() override {
    tty_.FileClosed(/*last_close_resets=*/!pty_);
    if (pty_) pty_->SlaveClosed();
  }

  Result<usize> Read(const IoBuffer& buf, u64&) override {
    return ReadThrough(buf,
                       [&](u8* p, usize n) { return tty_.Read(Caller(), p, n, nonblocking()); });
  }
  Result<usize> Write(const IoBuffer& buf, u64&) override {
    return WriteThrough(
        buf, [&](const u8* p, usize n) { return tty_.Write(Caller(), p, n, nonblocking()); });
  }
  bool seekable() const override { return false; }
  Result<u64> Seek(i64, int) override { return Errno::kESPIPE; }
  u32 Poll() override {
    u32 events = 0;
    if (tty_.PollReadable()) events |= ev::kReadable;
    if (tty_.PollWritable()) events |= ev::kWritable;
    // A hung-up terminal's files poll as everything at once [linux hung_up_tty_poll].
    if (tty_.hung_up()) events |= ev::kReadable | ev::kWritable | ev::kHup | ev::kErr;
    return events;
  }
  PollQueue* poll_queue() override { return &tty_.poll_queue(); }
  Result<i64> Ioctl(proc::Task& task, u32 cmd, u64 arg) override {
    return tty_.Ioctl(task, cmd, arg);
  }

 private:
  tty::Tty& tty_;
  lib::RefPtr<tty::Pty> pty_;  // holds the pair while a slave is open
};

// The master side of a pseudo-terminal (/dev/ptmx).
class PtyMasterFile final : public DeviceFile {
 public:
  PtyMasterFile(const Path& path, lib::RefPtr<Inode> inode, u32 flags, lib::RefPtr<tty::Pty> pty)
      : DeviceFile(path, lib::move(inode), flags), pty_(lib::move(pty)) {}
  ~PtyMasterFile() override {
    devpts::OnPtyReleased(pty_->index());
    pty_->MasterClosed();
  }

  tty::Pty& pty() { return *pty_; }

  Result<usize> Read(const IoBuffer& buf, u64&) override {
    return ReadThrough(buf, [&](u8* p, usize n) { return pty_->MasterRead(p, n, nonblocking()); });
  }
  Result<usize> Write(const IoBuffer& buf, u64&) override {
    return WriteThrough(buf, [&](const u8* p, usize n) { return pty_->MasterWrite(p, n); });
  }
  bool seekable() const override { return false; }
  Result<u64> Seek(i64, int) override { return Errno::kESPIPE; }
  u32 Poll() override {
    u32 events = ev::kWritable;
    if (pty_->MasterReadable()) events |= ev::kReadable;
    return events;
  }
  PollQueue* poll_queue() override { return &pty_->master_poll(); }
  Result<i64> Ioctl(proc::Task& task, u32 cmd, u64 arg) override {
    return pty_->MasterIoctl(task, cmd, arg);
  }

 private:
  lib::RefPtr<tty::Pty> pty_;
};

bool WantsCtty(u32 flags, const Actor& actor) {
  return (flags & o::kNoCtty) == 0 && actor.task != nullptr;
}

// Every open of an existing terminal, /dev/tty included, is a re-open that exclusive mode
// refuses to callers without CAP_SYS_ADMIN [linux tty_reopen].
Result<lib::RefPtr<File>> OpenTty(const Path& path, lib::RefPtr<Inode> inode, u32 flags,
                                  tty::Tty& t, const lib::RefPtr<tty::Pty>& pty,
                                  const Actor& actor) {
  if (t.exclusive() && !actor.cred.Has(Cap::kSysAdmin)) return Errno::kEBUSY;
  if (pty) TRY(pty->SlaveOpened());
  Result<lib::RefPtr<File>> f = MakeFile<TtyFile>(path, lib::move(inode), flags, t, pty);
  if (f.is_error()) {
    if (pty) pty->SlaveClosed();
    return f;
  }
  t.FileOpened();
  return f;
}

// 4:64 and up: ttyS0, ttyS1. A port the machine lacks is EIO, as the 8250 driver answers.
Result<lib::RefPtr<File>> OpenSerial(const Path& path, lib::RefPtr<Inode> inode, u32 flags,
                                     const Actor& actor) {
  u32 minor = DevMinor(inode->rdev());
  tty::Tty* t = tty::SerialTty(minor - 64);
  if (t == nullptr) return Errno::kEIO;
  lib::RefPtr<File> f = TRY(OpenTty(path, lib::move(inode), flags, *t, nullptr, actor));
  if (WantsCtty(flags, actor)) t->MaybeAcquireOnOpen(*actor.task);
  return f;
}

// 5:0, /dev/tty: the caller's controlling terminal; ENXIO without one [man 4 tty].
Result<lib::RefPtr<File>> OpenCurrentTty(const Path& path, lib::RefPtr<Inode> inode, u32 flags,
                                         const Actor& actor) {
  proc::Task* task = actor.task != nullptr ? actor.task : proc::sched::Current();
  proc::Process* p = task != nullptr ? task->process() : nullptr;
  if (p == nullptr || !p->job().group || p->job().detached_ctty) return Errno::kENXIO;
  tty::Tty* t = p->job().group->session().ctty();
  if (t == nullptr) return Errno::kENXIO;
  return OpenTty(path, lib::move(inode), flags, *t, lib::RefPtr<tty::Pty>(PtyOf(*t)), actor);
}

// 5:1, /dev/console: the system console, which is ttyS0 (console=ttyS0). ENODEV without.
Result<lib::RefPtr<File>> OpenConsoleTty(const Path& path, lib::RefPtr<Inode> inode, u32 flags,
                                         const Actor& actor) {
  tty::Tty* t = tty::SerialTty(0);
  if (t == nullptr) return Errno::kENODEV;
  return OpenTty(path, lib::move(inode), flags, *t, nullptr, actor);
}

// 5:2, /dev/ptmx: a new pair; the slave appears as /dev/pts/N, locked until unlockpt(3).
Result<lib::RefPtr<File>> OpenPtmx(const Path& path, lib::RefPtr<Inode> inode, u32 flags,
                                   const Actor& actor) {
  lib::RefPtr<tty::Pty> pty = TRY(tty::Pty::Create());
  devpts::OnPtyCreated(pty->index(), actor.cred.uid, actor.cred.gid);
  Result<lib::RefPtr<File>> f = MakeFile<PtyMasterFile>(path, lib::move(inode), flags, pty);
  if (f.is_error()) {
    devpts::OnPtyReleased(pty->index());
    pty->MasterClosed();
  }
  return f;
}

// 136:N, /dev/pts/N: the slave of pair N; EIO while locked or once its master is closed.
Result<lib::RefPtr<File>> OpenPtsSlave(const Path& path, lib::RefPtr<Inode> inode, u32 flags,
                                       const Actor& actor) {
  tty::Pty* pty = tty::Pty::Find(DevMinor(inode->rdev()));
  if (pty == nullptr) return Errno::kEIO;
  lib::RefPtr<File> f =
      TRY(OpenTty(path, lib::move(inode), flags, pty->slave(), lib::RefPtr<tty::Pty>(pty), actor));
  if (WantsCtty(flags, actor)) pty->slave().MaybeAcquireOnOpen(*actor.task);
  return f;
}

}  // namespace

const CharDevice kTtyDevices[] = {
    {devno::kTtyMajor, 64, tty::kSerialPorts, "ttyS", &OpenSerial},
    {devno::kTtyAuxMajor, 0, 1, "/dev/tty", &OpenCurrentTty},
    {devno::kTtyAuxMajor, 1, 1, "/dev/console", &OpenConsoleTty},
    {devno::kTtyAuxMajor, 2, 1, "/dev/ptmx", &OpenPtmx},
    {devno::kPtsMajor, 0, tty::kMaxPtys, "pts", &OpenPtsSlave},
};
const usize kTtyDeviceCount = sizeof(kTtyDevices) / sizeof(kTtyDevices[0]);

}  // namespace kernel::fs::devfs
