#include "sim/host_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "kernel/fs/anon_inode.h"
#include "kernel/fs/fd_table.h"
#include "kernel/proc/task.h"

namespace sim {

using kernel::Errno;
using kernel::Result;
using kernel::u32;
using kernel::u64;
using kernel::usize;
namespace fs = kernel::fs;
namespace lib = kernel::lib;

namespace {

constexpr usize kChunk = 64ul * 1024;

Errno HostErrno(int e) {
  switch (e) {
    case EAGAIN:
      return Errno::kEAGAIN;
    case EPIPE:
      return Errno::kEPIPE;
    case EBADF:
      return Errno::kEBADF;
    case ENOSPC:
      return Errno::kENOSPC;
    case EFBIG:
      return Errno::kEFBIG;
    default:
      return Errno::kEIO;
  }
}

class HostFile final : public fs::File {
 public:
  HostFile(lib::RefPtr<fs::Inode> inode, u32 flags, int host_fd)
      : File(fs::FileKind::kDevice, fs::Path{}, lib::move(inode), flags), host_fd_(host_fd) {}

  Result<usize> Read(const fs::IoBuffer& buf, u64&) override {
    // Kernel stacks are small: the bounce buffer lives on the host heap.
    std::unique_ptr<char[]> chunk(new char[kChunk]);
    usize want = buf.size() < kChunk ? buf.size() : kChunk;
    if (want == 0) return usize{0};
    ssize_t n;
    do {
      n = ::read(host_fd_, chunk.get(), want);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return HostErrno(errno);
    TRY(buf.Write(0, chunk.get(), static_cast<usize>(n)));
    return static_cast<usize>(n);
  }

  Result<usize> Write(const fs::IoBuffer& buf, u64&) override {
    std::unique_ptr<char[]> chunk(new char[kChunk]);
    usize done = 0;
    while (done < buf.size()) {
      usize n = buf.size() - done < kChunk ? buf.size() - done : kChunk;
      Result<void> copied = buf.Read(done, chunk.get(), n);
      if (copied.is_error()) {
        if (done > 0) break;
        return copied.error();
      }
      usize off = 0;
      while (off < n) {
        ssize_t w = ::write(host_fd_, chunk.get() + off, n - off);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) {
          if (done + off > 0) return done + off;
          return HostErrno(errno);
        }
        off += static_cast<usize>(w);
      }
      done += n;
    }
    return done;
  }

  bool seekable() const override { return false; }
  Result<u64> Seek(kernel::i64, int) override { return Errno::kESPIPE; }
  Result<lib::String> Describe() const override { return lib::String::TryFrom("host:[stdio]"); }

 private:
  int host_fd_;
};

}  // namespace

Result<lib::RefPtr<fs::File>> MakeHostFile(int host_fd, u32 flags) {
  struct stat st;
  bool tty = ::fstat(host_fd, &st) == 0 && S_ISCHR(st.st_mode) && ::isatty(host_fd);
  u32 mode = (tty ? fs::mode::kChar : fs::mode::kFifo) | 0620;
  lib::RefPtr<fs::Inode> inode = TRY(fs::CreateAnonInode(mode, 0, 0));
  return fs::MakeFile<HostFile>(lib::move(inode), flags, host_fd);
}

Result<void> InstallHostStdio(kernel::proc::Task& task, const int host_fds[3]) {
  fs::FdTable* fds = task.fd_table().get();
  if (fds == nullptr) return Errno::kEBADF;
  const u32 modes[3] = {fs::o::kRdOnly, fs::o::kWrOnly, fs::o::kWrOnly};
  for (int fd = 0; fd < 3; ++fd) {
    lib::RefPtr<fs::File> file = TRY(MakeHostFile(host_fds[fd], modes[fd]));
    TRY(fds->InstallAt(fd, lib::move(file), 0));
  }
  return kernel::Ok();
}

}  // namespace sim
