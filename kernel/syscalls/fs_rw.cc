#include "kernel/syscalls/fs_rw.h"

#include "kernel/mm/user_ptr.h"

namespace kernel::syscalls {
namespace {

// preadv2/pwritev2 flags [linux/fs.h].
constexpr u64 kRwfHipri = 0x01;
constexpr u64 kRwfDsync = 0x02;
constexpr u64 kRwfSync = 0x04;
constexpr u64 kRwfNowait = 0x08;
constexpr u64 kRwfAppend = 0x10;
constexpr u64 kRwfValid = kRwfHipri | kRwfDsync | kRwfSync | kRwfNowait | kRwfAppend;

enum class Dir { kRead, kWrite };

// vfs_read / vfs_write: access mode, then the buffer, then the count limit. `offset` is the
// position to use; -1 means the file position.
Result<isize> Transfer(fs::File& file, Dir dir, const fs::IoBuffer& buf, i64 offset,
                       bool append = false) {
  if (dir == Dir::kRead ? !file.readable() : !file.writable()) return Errno::kEBADF;
  bool positional = offset >= 0;
  if (positional && !file.seekable()) return Errno::kESPIPE;
  u64 pos = positional ? static_cast<u64>(offset) : file.pos();
  if (append && file.inode() != nullptr) pos = file.inode()->size();
  fs::IoBuffer b = buf.Prefix(buf.size() > fs::kMaxRwCount ? fs::kMaxRwCount : buf.size());
  usize n;
  if (dir == Dir::kRead) {
    n = TRY(file.Read(b, pos));
  } else {
    n = TRY(file.Write(b, pos));
  }
  if (!positional && file.seekable()) file.set_pos(pos);
  return static_cast<isize>(n);
}

// import_iovec: the segments, each checked, their total capped at MAX_RW_COUNT.
class IoVector {
 public:
  ~IoVector() { lib::Free(segs_); }
  Result<void> Import(UserIn<fs::IoSegment> iov, int count) {
    if (count < 0 || static_cast<usize>(count) > fs::kIovMax) return Errno::kEINVAL;
    count_ = static_cast<usize>(count);
    if (count_ == 0) return Ok();
    segs_ = static_cast<fs::IoSegment*>(lib::Allocate(sizeof(fs::IoSegment) * count_));
    if (segs_ == nullptr) return Errno::kENOMEM;
    TRY(iov.ReadArray(segs_, count_));
    for (usize i = 0; i < count_; ++i) {
      if (static_cast<isize>(segs_[i].len) < 0) return Errno::kEINVAL;
      if (!mm::IsUserRange(segs_[i].base, segs_[i].len)) return Errno::kEFAULT;
      usize room = fs::kMaxRwCount - total_;
      if (segs_[i].len > room) segs_[i].len = room;
      total_ += segs_[i].len;
    }
    return Ok();
  }
  fs::IoBuffer buffer() const { return fs::IoBuffer::UserVector(segs_, count_, total_); }

 private:
  fs::IoSegment* segs_ = nullptr;
  usize count_ = 0;
  usize total_ = 0;
};

Result<isize> Vectored(Task& task, Fd fd, UserIn<fs::IoSegment> iov, int iovcnt, i64 offset,
                       Dir dir, u64 flags) {
  if (flags & ~kRwfValid) return Errno::kEOPNOTSUPP;
  lib::RefPtr<fs::File> file = TRY(GetFile(task, fd.value));
  IoVector v;
  TRY(v.Import(iov, iovcnt));
  bool append = dir == Dir::kWrite && (flags & kRwfAppend) != 0;
  return Transfer(*file, dir, v.buffer(), offset, append);
}

// Copies up to `count` bytes from `in` (at *in_pos) to `out` (at *out_pos, or its position),
// through a kernel buffer. Stops at EOF or a short write; an error after progress returns the
// progress.
Result<usize> Pump(fs::File& in, u64& in_pos, fs::File& out, u64* out_pos, usize count) {
  constexpr usize kChunk = 16ul * 1024;
  u8* bounce = static_cast<u8*>(lib::Allocate(kChunk));
  if (bounce == nullptr) return Errno::kENOMEM;
  usize done = 0;
  Errno error{};
  while (done < count) {
    usize want = count - done < kChunk ? count - done : kChunk;
    Result<usize> r = in.Read(fs::IoBuffer::Kernel(bounce, want), in_pos);
    if (r.is_error()) {
      error = r.error();
      break;
    }
    if (r.value() == 0) break;
    u64 opos = out_pos != nullptr ? *out_pos : out.pos();
    Result<usize> w = out.Write(fs::IoBuffer::KernelConst(bounce, r.value()), opos);
    if (w.is_error()) {
      error = w.error();
      break;
    }
    if (out_pos != nullptr) {
      *out_pos = opos;
    } else if (out.seekable()) {
      out.set_pos(opos);
    }
    done += w.value();
    if (w.value() < r.value() || r.value() < want) break;
  }
  lib::Free(bounce);
  if (done == 0 && error != Errno{}) return error;
  return done;
}

}  // namespace

// ssize_t read(int fd, void *buf, size_t count);  [man 2 read]
Result<isize> sys_read(Task& task, Fd fd, UserOut<u8> buf, usize count) {
  lib::RefPtr<fs::File> file = TRY(GetFile(task, fd.value));
  if (!file->readable()) return Errno::kEBADF;
  if (!mm::IsUserRange(buf.addr(), count)) return Errno::kEFAULT;
  return Transfer(*file, Dir::kRead, fs::IoBuffer::User(buf.addr(), count), -1);
}

// ssize_t write(int fd, const void *buf, size_t count);  [man 2 write]
Result<isize> sys_write(Task& task, Fd fd, UserIn<u8> buf, usize count) {
  lib::RefPtr<fs::File> file = TRY(GetFile(task, fd.value));
  if (!file->writable()) return Errno::kEBADF;
  if (!mm::IsUserRange(buf.addr(), count)) return Errno::kEFAULT;
  return Transfer(*file, Dir::kWrite, fs::IoBuffer::User(buf.addr(), count), -1);
}

// ssize_t pread(int fd, void *buf, size_t count, off_t offset);  [man 2 pread]
Result<isize> sys_pread64(Task& task, Fd fd, UserOut<u8> buf, usize count, i64 offset) {
  if (offset < 0) return Errno::kEINVAL;
  lib::RefPtr<fs::File> file = TRY(GetFile(task, fd.value));
  if (!file->readable()) return Errno::kEBADF;
  if (!file->seekable()) return Errno::kESPIPE;
  if (!mm::IsUserRange(buf.addr(), count)) return Errno::kEFAULT;
  return Transfer(*file, Dir::kRead, fs::IoBuffer::User(buf.addr(), count), offset);
}

// ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset);  [man 2 pwrite]
Result<isize> sys_pwrite64(Task& task, Fd fd, UserIn<u8> buf, usize count, i64 offset) {
  if (offset < 0) return Errno::kEINVAL;
  lib::RefPtr<fs::File> file = TRY(GetFile(task, fd.value));
  if (!file->writable()) return Errno::kEBADF;
  if (!file->seekable()) return Errno::kESPIPE;
  if (!mm::IsUserRange(buf.addr(), count)) return Errno::kEFAULT;
  return Transfer(*file, Dir::kWrite, fs::IoBuffer::User(buf.addr(), count), offset);
}

// ssize_t readv(int fd, const struct iovec *iov, int iovcnt);  [man 2 readv]
Result<isize> sys_readv(Task& task, Fd fd, UserIn<fs::IoSegment> iov, int iovcnt) {
  return Vectored(task, fd, iov, iovcnt, -1, Dir::kRead, 0);
}

// ssize_t writev(int fd, const struct iovec *iov, int iovcnt);  [man 2 writev]
Result<isize> sys_writev(Task& task, Fd fd, UserIn<fs::IoSegment> iov, int iovcnt) {
  return Vectored(task, fd, iov, iovcnt, -1, Dir::kWrite, 0);
}

// The raw preadv/pwritev take the offset as two longs; on x86_64 the first holds all of it.
Result<isize> sys_preadv(Task& task, Fd fd, UserIn<fs::IoSegment> iov, int iovcnt, i64 pos_l, i64) {
  if (pos_l < 0) return Errno::kEINVAL;
  return Vectored(task, fd, iov, iovcnt, pos_l, Dir::kRead, 0);
}

Result<isize> sys_pwritev(Task& task, Fd fd, UserIn<fs::IoSegment> iov, int iovcnt, i64 pos_l,
                          i64) {
  if (pos_l < 0) return Errno::kEINVAL;
  return Vectored(task, fd, iov, iovcnt, pos_l, Dir::kWrite, 0);
}

// ssize_t preadv2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags);
// An offset of -1 means the file position [man 2 preadv2].
Result<isize> sys_preadv2(Task& task, Fd fd, UserIn<fs::IoSegment> iov, int iovcnt, i64 pos_l, i64,
                          Hex flags) {
  if (pos_l < -1) return Errno::kEINVAL;
  return Vectored(task, fd, iov, iovcnt, pos_l, Dir::kRead, flags.value);
}

Result<isize> sys_pwritev2(Task& task, Fd fd, UserIn<fs::IoSegment> iov, int iovcnt, i64 pos_l, i64,
                           Hex flags) {
  if (pos_l < -1) return Errno::kEINVAL;
  return Vectored(task, fd, iov, iovcnt, pos_l, Dir::kWrite, flags.value);
}

// off_t lseek(int fd, off_t offset, int whence);  [man 2 lseek]
Result<i64> sys_lseek(Task& task, Fd fd, i64 offset, int whence) {
  lib::RefPtr<fs::File> file = TRY(GetFile(task, fd.value));
  if (!file->seekable()) return Errno::kESPIPE;
  u64 pos = TRY(file->Seek(offset, whence));
  return static_cast<i64>(pos);
}

// ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count);  [man 2 sendfile]
Result<isize> sys_sendfile(Task& task, Fd out_fd, Fd in_fd, UserInOut<i64> offset, usize count) {
  lib::RefPtr<fs::File> in = TRY(GetFile(task, in_fd.value));
  lib::RefPtr<fs::File> out = TRY(GetFile(task, out_fd.value));
  if (!in->readable() || !out->writable()) return Errno::kEBADF;
  if (out->flags() & fs::o::kAppend) return Errno::kEINVAL;
  // A directory has no splice_read: EINVAL, not the EISDIR a read would give [linux
  // splice_direct_to_actor].
  if (in->inode()->is_dir()) return Errno::kEINVAL;
  if (count > fs::kMaxRwCount) count = fs::kMaxRwCount;
  u64 pos;
  if (!offset.is_null()) {
    i64 o = TRY(offset.Read());
    if (o < 0) return Errno::kEINVAL;
    if (!in->seekable()) return Errno::kESPIPE;
    pos = static_cast<u64>(o);
  } else {
    pos = in->pos();
  }
  usize n = TRY(Pump(*in, pos, *out, nullptr, count));
  if (!offset.is_null()) {
    TRY(offset.Write(static_cast<i64>(pos)));
  } else if (in->seekable()) {
    in->set_pos(pos);
  }
  return static_cast<isize>(n);
}

// ssize_t copy_file_range(int fd_in, off64_t *off_in, int fd_out, off64_t *off_out,
//                         size_t len, unsigned int flags);  [man 2 copy_file_range]
Result<isize> sys_copy_file_range(Task& task, Fd fd_in, UserInOut<i64> off_in, Fd fd_out,
                                  UserInOut<i64> off_out, usize len, unsigned flags) {
  // The checks in Linux's order: the fds, the offsets, then vfs_copy_file_range and
  // generic_copy_file_checks [linux fs/read_write.c].
  lib::RefPtr<fs::File> in = TRY(GetFile(task, fd_in.value));
  lib::RefPtr<fs::File> out = TRY(GetFile(task, fd_out.value));
  i64 ipos = static_cast<i64>(in->pos());
  i64 opos = static_cast<i64>(out->pos());
  if (!off_in.is_null()) ipos = TRY(off_in.Read());
  if (!off_out.is_null()) opos = TRY(off_out.Read());
  if (flags != 0) return Errno::kEINVAL;
  fs::Inode* ii = in->inode();
  fs::Inode* oi = out->inode();
  if (ii->is_dir() || oi->is_dir()) return Errno::kEISDIR;
  if (!ii->is_regular() || !oi->is_regular()) return Errno::kEINVAL;
  if (!in->readable() || !out->writable()) return Errno::kEBADF;
  if (out->flags() & fs::o::kAppend) return Errno::kEBADF;
  // Offsets that wrap (as unsigned, as Linux adds them) are EOVERFLOW; the count is then cut
  // at the input's end, and only what is left must not overlap within one file.
  u64 count = len;
  u64 uin = static_cast<u64>(ipos);
  u64 uout = static_cast<u64>(opos);
  u64 end;
  if (lib::AddOverflows(uin, count, &end) || lib::AddOverflows(uout, count, &end)) {
    return Errno::kEOVERFLOW;
  }
  u64 size_in = ii->size();
  if (ipos >= 0 && uin >= size_in) {
    count = 0;
  } else if (ipos >= 0 && count > size_in - uin) {
    count = size_in - uin;
  }
  if (ii == oi && uout + count > uin && uout < uin + count) return Errno::kEINVAL;
  len = static_cast<usize>(count);
  if (len == 0) return 0;
  if (ipos < 0 || opos < 0) return Errno::kEINVAL;
  if (len > fs::kMaxRwCount) len = fs::kMaxRwCount;
  u64 upos_in = static_cast<u64>(ipos);
  u64 upos_out = static_cast<u64>(opos);
  usize n = TRY(Pump(*in, upos_in, *out, &upos_out, len));
  if (!off_in.is_null()) {
    TRY(off_in.Write(static_cast<i64>(upos_in)));
  } else {
    in->set_pos(upos_in);
  }
  if (!off_out.is_null()) {
    TRY(off_out.Write(static_cast<i64>(upos_out)));
  } else {
    out->set_pos(upos_out);
  }
  return static_cast<isize>(n);
}

}  // namespace kernel::syscalls
