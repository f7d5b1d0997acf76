#pragma once
/// Pipes and FIFOs [man 7 pipe]. A Pipe is a ring of page-sized buffer slots (16 by default,
/// F_SETPIPE_SZ changes it) with reader and writer counts; a PipeFile is one open end. pipe2(2)
/// makes an anonymous pipe with one end of each kind; a FIFO's pipe hangs off its inode while
/// anyone has it open, and its data is discarded when the last end closes, as Linux does.
///
/// Semantics (pipe_read/pipe_write in Linux's fs/pipe.c):
/// - a read returns what is there (up to the count), 0 at EOF (no writers), else blocks or
///   EAGAIN;
/// - space is counted in slots, as Linux does: a write first appends its last
///   (size % PAGE_SIZE) bytes to the newest buffer if they all fit there, then fills fresh
///   pages, one slot each, PAGE_SIZE bytes at a time. A partly read buffer keeps its slot, so
///   a full pipe takes no more data until a whole buffer has been read. Writes of at most
///   PIPE_BUF (= PAGE_SIZE) bytes are thereby atomic; a larger one may be split, and returns
///   early only for O_NONBLOCK (what fitted) or a signal (what was written, or ERESTARTSYS);
/// - a write with no readers fails with EPIPE and raises SIGPIPE in the writer;
/// - poll: POLLIN with data, POLLHUP once the writers have gone, POLLOUT while a slot is free,
/// POLLERR on the write end once the readers have gone.
#include <hal/phys.h>

#include "kernel/fs/file.h"
#include "kernel/fs/poll_queue.h"
#include "kernel/lib/vector.h"
#include "kernel/proc/wait_queue.h"

namespace kernel::fs {

class Pipe : public lib::RefCounted<Pipe> {
 public:
  static constexpr usize kDefaultSize = 16 * kPageSize;
  /// /proc/sys/fs/pipe-max-size: the most an unprivileged F_SETPIPE_SZ may ask for.
  static constexpr usize kMaxSize = 1u << 20;

  static Result<lib::RefPtr<Pipe>> Create();
  Pipe() = default;
  ~Pipe();

  Result<usize> Read(const IoBuffer& buf, bool nonblock);
  Result<usize> Write(const IoBuffer& buf, bool nonblock);
  /// Readiness of an end open for reading and/or writing. `seen_writers` is the writer
  /// generation the reading end last saw (FIFOs report POLLHUP only after a writer came).
  u32 Poll(bool read_end, bool write_end, u32 seen_writers) const;

  usize available() const { return count_; }
  usize capacity() const { return slots_.size() * kPageSize; }
  /// Buffer slots in use (Linux's head - tail).
  usize used_slots() const { return used_; }
  /// F_SETPIPE_SZ: rounds up to a power-of-two number of pages; EBUSY when the data would
  /// not fit, EPERM above kMaxSize without privilege. Returns the new size.
  Result<usize> Resize(usize size, bool privileged);

  u32 readers() const { return readers_; }
  u32 writers() const { return writers_; }
  /// How many times an end was opened for reading / writing (FIFO open waits on these).
  u32 reader_generation() const { return r_counter_; }
  u32 writer_generation() const { return w_counter_; }

  void OpenEnds(bool read, bool write);
  void CloseEnds(bool read, bool write);

  proc::WaitQueue& open_wait() { return open_wait_; }
  PollQueue& poll_queue() { return poll_; }

 private:
  // One pipe_buffer: a page and the unread bytes [offset, offset + len) in it.
  struct Slot {
    PhysAddr page = 0;
    u32 offset = 0;
    u32 len = 0;
  };
  bool full() const { return used_ >= slots_.size(); }
  Slot& newest() { return slots_[(tail_ + used_ - 1) % slots_.size()]; }
  static u8* Bytes(const Slot& s) { return static_cast<u8*>(hal::Phys::ToVirt(s.page)); }
  // The bytes were written: wake readers.
  void Written();

  lib::Vector<Slot> slots_;
  usize tail_ = 0;   // the slot with the oldest unread bytes
  usize used_ = 0;   // slots holding data
  usize count_ = 0;  // unread bytes in all of them
  u32 readers_ = 0;
  u32 writers_ = 0;
  u32 r_counter_ = 0;
  u32 w_counter_ = 0;
  proc::WaitQueue read_wait_;
  proc::WaitQueue write_wait_;
  proc::WaitQueue open_wait_;
  PollQueue poll_;
};

/// One end (or both, for a FIFO opened O_RDWR) of a pipe.
class PipeFile : public File {
 public:
  PipeFile(Path path, lib::RefPtr<Inode> inode, u32 flags, lib::RefPtr<Pipe> pipe);
  ~PipeFile() override;

  Result<usize> Read(const IoBuffer& buf, u64& offset) override;
  Result<usize> Write(const IoBuffer& buf, u64& offset) override;
  bool seekable() const override { return false; }
  Result<u64> Seek(i64 offset, int whence) override;
  u32 Poll() override;
  PollQueue* poll_queue() override { return &pipe_->poll_queue(); }
  Result<i64> Ioctl(proc::Task& task, u32 cmd, u64 arg) override;
  Result<lib::String> Describe() const override;

  Pipe& pipe() const { return *pipe_; }

 private:
  lib::RefPtr<Pipe> pipe_;
  u32 seen_writers_;
};

/// pipe2(2): a read end and a write end. flags: O_NONBLOCK (O_CLOEXEC is the fd's business).
struct PipeEnds {
  lib::RefPtr<File> read;
  lib::RefPtr<File> write;
};
Result<PipeEnds> CreatePipe(u32 flags, u32 uid, u32 gid);

/// A FIFO inode's pipe, while the FIFO is open.
struct FifoState {
  lib::RefPtr<Pipe> pipe;
};

/// open(2) of a FIFO: blocks until the other side opens unless O_NONBLOCK (a nonblocking
/// writer with no reader gets ENXIO) or O_RDWR.
Result<lib::RefPtr<File>> OpenFifo(const Path& path, const lib::RefPtr<Inode>& inode, u32 flags);

}  // namespace kernel::fs
