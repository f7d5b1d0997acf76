#include "kernel/fs/pipe.h"

#include <hal/phys.h>

#include "kernel/fs/anon_inode.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/mm/user_ptr.h"
#include "kernel/proc/scheduler.h"
#include "kernel/signal/send.h"

namespace kernel::fs {

// ---- Pipe ----

Result<lib::RefPtr<Pipe>> Pipe::Create() {
  lib::RefPtr<Pipe> p = TRY(lib::TryMakeRef<Pipe>());
  TRY(p->slots_.TryResize(kDefaultSize / kPageSize));
  return p;
}

Pipe::~Pipe() {
  for (Slot& s : slots_) {
    if (s.page != 0) mm::FreePage(s.page);
  }
}

void Pipe::Written() {
  read_wait_.WakeAll();
  poll_.Notify(ev::kReadable);
}

Result<usize> Pipe::Read(const IoBuffer& buf, bool nonblock) {
  if (buf.size() == 0) return usize{0};
  for (;;) {
    if (count_ > 0) break;
    if (writers_ == 0) return usize{0};
    if (nonblock) return Errno::kEAGAIN;
    TRY(read_wait_.WaitInterruptible([&] { return count_ > 0 || writers_ == 0; }));
  }
  usize want = buf.size() < count_ ? buf.size() : count_;
  usize done = 0;
  bool freed = false;
  while (done < want && used_ > 0) {
    Slot& s = slots_[tail_];
    usize chunk = s.len < want - done ? s.len : want - done;
    Result<void> r = buf.Write(done, Bytes(s) + s.offset, chunk);
    if (r.is_error()) {
      if (done == 0) return r.error();
      break;
    }
    s.offset += static_cast<u32>(chunk);
    s.len -= static_cast<u32>(chunk);
    done += chunk;
    count_ -= chunk;
    if (s.len == 0) {
      // An emptied buffer gives its slot back [fs/pipe.c pipe_read].
      mm::FreePage(s.page);
      s = Slot{};
      tail_ = (tail_ + 1) % slots_.size();
      --used_;
      freed = true;
    }
  }
  if (freed) {
    write_wait_.WakeAll();
    poll_.Notify(ev::kWritable);
  }
  return done;
}

Result<usize> Pipe::Write(const IoBuffer& buf, bool nonblock) {
  usize n = buf.size();
  if (n == 0) return usize{0};
  auto broken = [&](usize done) -> Result<usize> {
    // The writer gets SIGPIPE, even after a partial write, as in Linux's pipe_write.
    proc::Task* self = proc::sched::Current();
    if (self != nullptr && self->process() != nullptr) {
      (void)signal::SendToTask(*self, signal::KernelInfo(signal::kSigPipe));
    }
    if (done > 0) return done;
    return Errno::kEPIPE;
  };
  if (readers_ == 0) return broken(0);
  usize done = 0;
  // The tail that does not fill a page is appended to the newest buffer when it fits there
  // whole; everything else goes into fresh pages [fs/pipe.c pipe_write].
  usize chars = n % kPageSize;
  if (chars != 0 && used_ > 0) {
    Slot& last = newest();
    if (last.offset + last.len + chars <= kPageSize) {
      TRY(buf.Read(0, Bytes(last) + last.offset + last.len, chars));
      last.len += static_cast<u32>(chars);
      count_ += chars;
      done = chars;
      Written();
      if (done == n) return done;
    }
  }
  for (;;) {
    if (readers_ == 0) return broken(done);
    if (!full()) {
      Result<PhysAddr> page = mm::AllocPage();
      if (page.is_error()) return done > 0 ? Result<usize>(done) : Result<usize>(page.error());
      usize chunk = n - done < kPageSize ? n - done : kPageSize;
      Slot fresh{page.value(), 0, static_cast<u32>(chunk)};
      Result<void> r = buf.Read(done, Bytes(fresh), chunk);
      if (r.is_error()) {
        mm::FreePage(fresh.page);
        return done > 0 ? Result<usize>(done) : Result<usize>(r.error());
      }
      slots_[(tail_ + used_) % slots_.size()] = fresh;
      ++used_;
      count_ += chunk;
      done += chunk;
      Written();
      if (done == n) return done;
      continue;
    }
    if (nonblock) {
      if (done > 0) return done;
      return Errno::kEAGAIN;
    }
    Result<void> w = write_wait_.WaitInterruptible([&] { return readers_ == 0 || !full(); });
    if (w.is_error()) {
      if (done > 0) return done;
      return w.error();
    }
  }
}

u32 Pipe::Poll(bool read_end, bool write_end, u32 seen_writers) const {
  u32 events = 0;
  if (read_end) {
    if (count_ > 0) events |= ev::kReadable;
    if (writers_ == 0 && seen_writers != w_counter_) events |= ev::kHup;
  }
  if (write_end) {
    if (used_ < slots_.size()) events |= ev::kWritable;
    if (readers_ == 0) events |= ev::kErr;
  }
  return events;
}

Result<usize> Pipe::Resize(usize size, bool privileged) {
  if (size > kMaxSize && !privileged) return Errno::kEPERM;
  if (size > (usize{1} << 31)) return Errno::kEINVAL;
  usize pages = (size + kPageSize - 1) / kPageSize;
  if (pages == 0) pages = 1;
  pages = lib::bit_ceil(pages);
  // The buffers in use must all fit in the new ring [fs/pipe.c pipe_resize_ring].
  if (used_ > pages) return Errno::kEBUSY;
  if (pages == slots_.size()) return capacity();
  lib::Vector<Slot> fresh;
  TRY(fresh.TryResize(pages));
  for (usize i = 0; i < used_; ++i) fresh[i] = slots_[(tail_ + i) % slots_.size()];
  slots_ = lib::move(fresh);
  tail_ = 0;
  write_wait_.WakeAll();
  poll_.Notify(ev::kWritable);
  return capacity();
}

void Pipe::OpenEnds(bool read, bool write) {
  if (read) {
    ++readers_;
    ++r_counter_;
  }
  if (write) {
    ++writers_;
    ++w_counter_;
  }
  open_wait_.WakeAll();
}

void Pipe::CloseEnds(bool read, bool write) {
  if (read) --readers_;
  if (write) --writers_;
  // Sleepers re-check: readers see EOF, writers see EPIPE.
  read_wait_.WakeAll();
  write_wait_.WakeAll();
  poll_.Notify(ev::kReadable | ev::kWritable | ev::kHup | ev::kErr);
}

// ---- PipeFile ----

PipeFile::PipeFile(Path path, lib::RefPtr<Inode> inode, u32 flags, lib::RefPtr<Pipe> pipe)
    : File(FileKind::kPipe, lib::move(path), lib::move(inode), flags),
      pipe_(lib::move(pipe)),
      seen_writers_(0) {
  pipe_->OpenEnds(readable(), writable());
  // A FIFO reader that opens before any writer must not see a hang-up until one has come.
  seen_writers_ = pipe_->writers() == 0 ? pipe_->writer_generation() : 0;
}

PipeFile::~PipeFile() {
  pipe_->CloseEnds(readable(), writable());
  Inode* in = inode();
  if (in != nullptr && in->fifo_state() != nullptr && pipe_->readers() == 0 &&
      pipe_->writers() == 0) {
    // The last end of a FIFO: its buffer goes, as Linux's free_pipe_info.
    lib::Delete(in->fifo_state());
    in->fifo_state() = nullptr;
  }
}

Result<usize> PipeFile::Read(const IoBuffer& buf, u64&) {
  usize n = TRY(pipe_->Read(buf, nonblocking()));
  if (n > 0 && inode() != nullptr) inode()->TouchAtime();
  return n;
}

Result<usize> PipeFile::Write(const IoBuffer& buf, u64&) {
  usize n = TRY(pipe_->Write(buf, nonblocking()));
  if (n > 0 && inode() != nullptr) inode()->TouchMtime();
  return n;
}

Result<u64> PipeFile::Seek(i64, int) { return Errno::kESPIPE; }

u32 PipeFile::Poll() { return pipe_->Poll(readable(), writable(), seen_writers_); }

Result<i64> PipeFile::Ioctl(proc::Task&, u32 cmd, u64 arg) {
  if (cmd == ioctl::kFionread) {
    TRY(mm::UserOut<int>(arg).Write(static_cast<int>(pipe_->available())));
    return 0;
  }
  return Errno::kENOTTY;
}

Result<lib::String> PipeFile::Describe() const {
  return lib::String::TryFormat("pipe:[%llu]", static_cast<unsigned long long>(inode()->ino()));
}

// ---- creation ----

Result<PipeEnds> CreatePipe(u32 flags, u32 uid, u32 gid) {
  lib::RefPtr<Inode> inode = TRY(CreateAnonInode(mode::kFifo | 0600, uid, gid));
  lib::RefPtr<Pipe> pipe = TRY(Pipe::Create());
  u32 status = flags & o::kNonBlock;
  PipeEnds ends;
  ends.read = TRY(MakeFile<PipeFile>(Path{}, inode, o::kRdOnly | status, pipe));
  ends.write = TRY(MakeFile<PipeFile>(Path{}, inode, o::kWrOnly | status, pipe));
  return ends;
}

Result<lib::RefPtr<File>> OpenFifo(const Path& path, const lib::RefPtr<Inode>& inode, u32 flags) {
  u32 acc = flags & o::kAccMode;
  bool nonblock = (flags & o::kNonBlock) != 0;
  if (inode->fifo_state() == nullptr) {
    lib::RefPtr<Pipe> pipe = TRY(Pipe::Create());
    FifoState* state = TRY(lib::TryNew<FifoState>());
    state->pipe = lib::move(pipe);
    inode->fifo_state() = state;
  }
  lib::RefPtr<Pipe> pipe = inode->fifo_state()->pipe;
  if (acc == o::kWrOnly && nonblock && pipe->readers() == 0) {
    // Nobody could ever read what is written [man 7 fifo]. Drop the state if we made it.
    if (pipe->writers() == 0) {
      lib::Delete(inode->fifo_state());
      inode->fifo_state() = nullptr;
    }
    return Errno::kENXIO;
  }
  u32 r_gen = pipe->reader_generation();
  u32 w_gen = pipe->writer_generation();
  lib::RefPtr<File> file = TRY(MakeFile<PipeFile>(path, inode, flags, pipe));
  if (nonblock || acc == o::kRdWr) return file;
  // Wait for the other side: a reader for a writer and the other way round. If a signal
  // comes first, dropping `file` closes our end again.
  if (acc == o::kRdOnly && pipe->writers() == 0) {
    TRY(pipe->open_wait().WaitInterruptible([&] { return pipe->writer_generation() != w_gen; }));
  } else if (acc == o::kWrOnly && pipe->readers() == 0) {
    TRY(pipe->open_wait().WaitInterruptible([&] { return pipe->reader_generation() != r_gen; }));
  }
  return file;
}

}  // namespace kernel::fs
