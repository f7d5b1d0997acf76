// The file-system system calls through the real dispatch path (raw registers in, -errno out)
// with a small user address space: argument conversion, user copies, bad pointers, and the
// errno each bad argument gets.
#include <optional>

#include "kernel/fs/abi.h"
#include "kernel/fs/epoll.h"
#include "kernel/syscalls/poll.h"
#include "kernel/syscalls/table.h"
#include "tests/support/fs_test_support.h"
#include "tests/support/user_memory.h"

namespace kernel::fs {
namespace {

using testing::FsTest;

// Linux x86_64 syscall numbers used below.
enum : u64 {
  kRead = 0,
  kWrite = 1,
  kOpen = 2,
  kClose = 3,
  kStat = 4,
  kFstat = 5,
  kLstat = 6,
  kPoll = 7,
  kLseek = 8,
  kIoctl = 16,
  kPread = 17,
  kPwrite = 18,
  kReadv = 19,
  kWritev = 20,
  kAccess = 21,
  kPipe = 22,
  kSelect = 23,
  kDup = 32,
  kDup2 = 33,
  kSendfile = 40,
  kFcntl = 72,
  kFlock = 73,
  kFtruncate = 77,
  kGetcwd = 79,
  kChdir = 80,
  kRename = 82,
  kMkdir = 83,
  kUnlink = 87,
  kSymlink = 88,
  kReadlink = 89,
  kUmask = 95,
  kGetdents64 = 217,
  kEpollWait = 232,
  kEpollCtl = 233,
  kOpenat = 257,
  kNewfstatat = 262,
  kPselect6 = 270,
  kPpoll = 271,
  kUtimensat = 280,
  kEventfd2 = 290,
  kEpollCreate1 = 291,
  kDup3 = 292,
  kPipe2 = 293,
  kCopyFileRange = 326,
  kStatx = 332,
  kCloseRange = 436,
  kOpenat2 = 437,
  kFaccessat2 = 439,
};

constexpr i64 Err(Errno e) { return -static_cast<i64>(ToInt(e)); }

class SyscallTest : public FsTest {
 protected:
  void SetUp() override {
    FsTest::SetUp();
    mem_.emplace();
  }
  void TearDown() override {
    mem_.reset();
    FsTest::TearDown();
  }
  i64 Sys(u64 nr, u64 a = 0, u64 b = 0, u64 c = 0, u64 d = 0, u64 e = 0, u64 f = 0) {
    const syscalls::SyscallEntry* entry = syscalls::Lookup(nr);
    EXPECT_NE(entry, nullptr) << "syscall " << nr << " is not in the table";
    if (entry == nullptr) return Err(Errno::kENOSYS);
    u64 args[6] = {a, b, c, d, e, f};
    return entry->invoke(*task_, args);
  }
  u64 Str(const std::string& s) { return mem_->PutString(s); }
  i64 OpenFile(const std::string& path, u64 flags, u64 mode = 0644) {
    return Sys(kOpenat, static_cast<u64>(kAtFdCwd), Str(path), flags, mode);
  }
  std::optional<kernel::testing::UserMemory> mem_;
};

TEST_F(SyscallTest, OpenWriteReadCloseRoundTrip) {
  i64 fd = OpenFile("/f", o::kRdWr | o::kCreat | o::kCloexec);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(fd, 0);  // the lowest free descriptor
  u64 data = Str("hello, aramid");
  EXPECT_EQ(Sys(kWrite, fd, data, 13), 13);
  EXPECT_EQ(Sys(kLseek, fd, 7, kSeekSet), 7);
  u64 buf = mem_->Alloc(64);
  EXPECT_EQ(Sys(kRead, fd, buf, 64), 6);
  EXPECT_EQ(mem_->GetString(buf, 6), "aramid");
  EXPECT_EQ(Sys(kPread, fd, buf, 5, 0), 5);
  EXPECT_EQ(mem_->GetString(buf, 5), "hello");
  EXPECT_EQ(Sys(kFcntl, fd, fcntl::kGetFd), kFdCloexec);
  // open(2) on x86_64 is always O_LARGEFILE, and F_GETFL says so.
  EXPECT_EQ(Sys(kFcntl, fd, fcntl::kGetFl), o::kRdWr | o::kLargeFile);
  EXPECT_EQ(Sys(kClose, fd), 0);
  EXPECT_EQ(Sys(kClose, fd), Err(Errno::kEBADF));
  EXPECT_EQ(Sys(kOpen, Str("/f"), o::kRdOnly), 0);
}

TEST_F(SyscallTest, BadPointersAndHugeCounts) {
  u64 unmapped = mem_->end() + 16 * kPageSize;
  EXPECT_EQ(Sys(kOpenat, static_cast<u64>(kAtFdCwd), unmapped, o::kRdOnly, 0), Err(Errno::kEFAULT));
  EXPECT_EQ(Sys(kOpen, 0, o::kRdOnly), Err(Errno::kEFAULT));
  EXPECT_EQ(Sys(kOpen, 0xffff800000000000ull, o::kRdOnly), Err(Errno::kEFAULT));  // kernel half
  std::string long_path(kPathMax, 'a');
  u64 p = mem_->Put(long_path.data(), long_path.size());  // no NUL within PATH_MAX
  EXPECT_EQ(Sys(kOpen, p, o::kRdOnly), Err(Errno::kENAMETOOLONG));
  i64 fd = OpenFile("/f", o::kRdWr | o::kCreat);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(Sys(kWrite, fd, Str("abc"), 3), 3);
  EXPECT_EQ(Sys(kPread, fd, unmapped, 3, 0), Err(Errno::kEFAULT));
  EXPECT_EQ(Sys(kRead, fd, mem_->Alloc(8), ~u64{0}), Err(Errno::kEFAULT));  // wraps the user half
  EXPECT_EQ(Sys(kWrite, fd, unmapped, 1), Err(Errno::kEFAULT));
  EXPECT_EQ(Sys(kPread, fd, mem_->Alloc(8), 1, static_cast<u64>(-1)), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kLseek, fd, static_cast<u64>(-5), kSeekSet), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kRead, 999, mem_->Alloc(8), 1), Err(Errno::kEBADF));
  EXPECT_EQ(Sys(kRead, static_cast<u64>(-1), mem_->Alloc(8), 1), Err(Errno::kEBADF));
  EXPECT_EQ(Sys(kFstat, fd, unmapped), Err(Errno::kEFAULT));
  // A read that crosses from mapped into unmapped memory: the bytes that fit, then EFAULT
  // only if nothing fit.
  u64 edge = mem_->end() - 2;
  EXPECT_EQ(Sys(kPread, fd, edge, 3, 0), 2);
  i64 ro = OpenFile("/f", o::kRdOnly);
  EXPECT_EQ(Sys(kWrite, ro, Str("x"), 1), Err(Errno::kEBADF));
  i64 dir = OpenFile("/", o::kRdOnly | o::kDirectory);
  EXPECT_EQ(Sys(kRead, dir, mem_->Alloc(8), 8), Err(Errno::kEISDIR));
  EXPECT_EQ(Sys(kFtruncate, ro, 0), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kFtruncate, fd, static_cast<u64>(-1)), Err(Errno::kEINVAL));
}

TEST_F(SyscallTest, VectoredIo) {
  i64 fd = OpenFile("/v", o::kRdWr | o::kCreat);
  IoSegment iov[3] = {{Str("ab"), 2}, {Str("cde"), 3}, {Str("f"), 1}};
  u64 uiov = mem_->Put(iov, sizeof(iov));
  EXPECT_EQ(Sys(kWritev, fd, uiov, 3), 6);
  u64 b1 = mem_->Alloc(4), b2 = mem_->Alloc(4);
  IoSegment riov[2] = {{b1, 4}, {b2, 4}};
  EXPECT_EQ(Sys(kLseek, fd, 0, kSeekSet), 0);
  EXPECT_EQ(Sys(kReadv, fd, mem_->Put(riov, sizeof(riov)), 2), 6);
  EXPECT_EQ(mem_->GetString(b1, 4), "abcd");
  EXPECT_EQ(mem_->GetString(b2, 2), "ef");
  EXPECT_EQ(Sys(kReadv, fd, uiov, 1025), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kReadv, fd, uiov, static_cast<u64>(-1)), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kWritev, fd, uiov, 0), 0);
  IoSegment bad[1] = {{Str("x"), static_cast<usize>(-1)}};
  EXPECT_EQ(Sys(kWritev, fd, mem_->Put(bad, sizeof(bad)), 1), Err(Errno::kEINVAL));
}

TEST_F(SyscallTest, Getdents64NeverSkipsAnEntry) {
  ASSERT_EQ(Sys(kMkdir, Str("/d"), 0755), 0);
  for (int i = 0; i < 20; ++i)
    ASSERT_GE(OpenFile("/d/entry" + std::to_string(i), o::kWrOnly | o::kCreat), 0);
  i64 dir = OpenFile("/d", o::kRdOnly | o::kDirectory);
  std::vector<std::string> names;
  u64 buf = mem_->Alloc(64);  // room for one or two records at a time
  for (int guard = 0; guard < 100; ++guard) {
    i64 n = Sys(kGetdents64, dir, buf, 64);
    ASSERT_GE(n, 0);
    if (n == 0) break;
    for (i64 off = 0; off < n;) {
      u16 reclen = mem_->Get<u16>(buf + off + 16);
      std::string name =
          mem_->GetString(buf + off + kDirent64NameOffset, reclen - kDirent64NameOffset);
      names.push_back(name.c_str());
      EXPECT_EQ(reclen % 8, 0);
      off += reclen;
    }
  }
  EXPECT_EQ(names.size(), 22u);
  EXPECT_EQ(Sys(kGetdents64, dir, buf, 8), 0);  // at the end: 0, even with a tiny buffer
  EXPECT_EQ(Sys(kLseek, dir, 0, kSeekSet), 0);
  EXPECT_EQ(Sys(kGetdents64, dir, buf, 8), Err(Errno::kEINVAL));  // "." does not fit
  i64 file = OpenFile("/d/entry0", o::kRdOnly);
  EXPECT_EQ(Sys(kGetdents64, file, buf, 64), Err(Errno::kENOTDIR));
}

TEST_F(SyscallTest, StatFamily) {
  i64 fd = OpenFile("/s", o::kRdWr | o::kCreat, 0640);
  ASSERT_EQ(Sys(kWrite, fd, Str("12345"), 5), 5);
  u64 st = mem_->Alloc(sizeof(Stat));
  ASSERT_EQ(Sys(kStat, Str("/s"), st), 0);
  Stat s = mem_->Get<Stat>(st);
  EXPECT_EQ(s.size, 5);
  EXPECT_EQ(s.mode, mode::kRegular | 0640);
  EXPECT_EQ(s.nlink, 1u);
  ASSERT_EQ(Sys(kSymlink, Str("/s"), Str("/l")), 0);
  ASSERT_EQ(Sys(kLstat, Str("/l"), st), 0);
  EXPECT_TRUE(IsLnk(mem_->Get<Stat>(st).mode));
  ASSERT_EQ(Sys(kNewfstatat, static_cast<u64>(kAtFdCwd), Str("/l"), st, at::kSymlinkNoFollow), 0);
  EXPECT_TRUE(IsLnk(mem_->Get<Stat>(st).mode));
  EXPECT_EQ(Sys(kNewfstatat, static_cast<u64>(kAtFdCwd), Str("/l"), st, 0x4), Err(Errno::kEINVAL));
  // AT_EMPTY_PATH works on anonymous files too.
  u64 fds = mem_->Alloc(8);
  ASSERT_EQ(Sys(kPipe2, fds, 0), 0);
  int rfd = mem_->Get<int>(fds);
  ASSERT_EQ(Sys(kNewfstatat, rfd, Str(""), st, at::kEmptyPath), 0);
  EXPECT_TRUE(IsFifo(mem_->Get<Stat>(st).mode));
  EXPECT_EQ(Sys(kNewfstatat, rfd, Str(""), st, 0), Err(Errno::kENOENT));
  u64 sx = mem_->Alloc(sizeof(Statx));
  ASSERT_EQ(Sys(kStatx, static_cast<u64>(kAtFdCwd), Str("/s"), 0, statx::kBasicStats, sx), 0);
  Statx x = mem_->Get<Statx>(sx);
  EXPECT_EQ(x.size, 5u);
  EXPECT_EQ(x.mode, mode::kRegular | 0640);
  EXPECT_TRUE(x.mask & statx::kBasicStats);
  EXPECT_EQ(Sys(kStatx, static_cast<u64>(kAtFdCwd), Str("/s"), 0x6000, 0, sx), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kStatx, static_cast<u64>(kAtFdCwd), Str("/s"), 0, statx::kReserved, sx),
            Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kAccess, Str("/s"), 6), 0);  // root reads and writes regardless of the mode
  EXPECT_EQ(Sys(kAccess, Str("/s"), 7), Err(Errno::kEACCES));  // but X_OK needs an x bit
  EXPECT_EQ(Sys(kAccess, Str("/s"), 1), Err(Errno::kEACCES));  // no x bit at all
  EXPECT_EQ(Sys(kAccess, Str("/s"), 8), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kFaccessat2, static_cast<u64>(kAtFdCwd), Str("/s"), 0, 0x1), Err(Errno::kEINVAL));
  // utimensat with a NULL path is futimens on the dirfd.
  fs::Timespec times[2] = {{100, 0}, {200, 0}};
  ASSERT_EQ(Sys(kUtimensat, fd, 0, mem_->Put(times, sizeof(times)), 0), 0);
  ASSERT_EQ(Sys(kFstat, fd, st), 0);
  EXPECT_EQ(mem_->Get<Stat>(st).mtime.sec, 200);
}

TEST_F(SyscallTest, DescriptorsDupFcntlIoctl) {
  u64 fds = mem_->Alloc(8);
  ASSERT_EQ(Sys(kPipe2, fds, o::kCloexec), 0);
  int r = mem_->Get<int>(fds), w = mem_->Get<int>(fds + 4);
  EXPECT_EQ(r, 0);
  EXPECT_EQ(w, 1);
  EXPECT_EQ(Sys(kFcntl, r, fcntl::kGetFd), kFdCloexec);
  EXPECT_EQ(Sys(kDup, w), 2);
  EXPECT_EQ(Sys(kFcntl, 2, fcntl::kGetFd), 0);  // dup clears close-on-exec
  EXPECT_EQ(Sys(kDup2, w, 10), 10);
  EXPECT_EQ(Sys(kDup2, w, w), w);
  EXPECT_EQ(Sys(kDup2, 77, 5), Err(Errno::kEBADF));
  EXPECT_EQ(Sys(kDup3, w, w, 0), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kDup3, w, 11, 0x1), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kDup3, w, 11, o::kCloexec), 11);
  EXPECT_EQ(Sys(kFcntl, 11, fcntl::kGetFd), kFdCloexec);
  EXPECT_EQ(Sys(kFcntl, w, fcntl::kDupFd, 20), 20);
  EXPECT_EQ(Sys(kFcntl, w, fcntl::kDupFdCloexec, 20), 21);
  EXPECT_EQ(Sys(kFcntl, w, fcntl::kDupFd, static_cast<u64>(-1)), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kFcntl, w, 9999), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kFcntl, r, fcntl::kGetPipeSz), 65536);
  EXPECT_EQ(Sys(kFcntl, r, fcntl::kSetPipeSz, 8192), 8192);
  // O_NONBLOCK through F_SETFL and through FIONBIO.
  EXPECT_EQ(Sys(kFcntl, r, fcntl::kSetFl, o::kNonBlock), 0);
  EXPECT_EQ(Sys(kRead, r, mem_->Alloc(8), 8), Err(Errno::kEAGAIN));
  u64 zero = mem_->PutValue(0);
  EXPECT_EQ(Sys(kIoctl, r, ioctl::kFionbio, zero), 0);
  EXPECT_EQ(Sys(kFcntl, r, fcntl::kGetFl) & o::kNonBlock, 0);
  EXPECT_EQ(Sys(kWrite, w, Str("abc"), 3), 3);
  u64 count = mem_->Alloc(4);
  EXPECT_EQ(Sys(kIoctl, r, ioctl::kFionread, count), 0);
  EXPECT_EQ(mem_->Get<int>(count), 3);
  EXPECT_EQ(Sys(kIoctl, r, ioctl::kFionclex), 0);
  EXPECT_EQ(Sys(kFcntl, r, fcntl::kGetFd), 0);
  EXPECT_EQ(Sys(kIoctl, r, ioctl::kTcGets, mem_->Alloc(64)), Err(Errno::kENOTTY));
  EXPECT_EQ(Sys(kLseek, r, 0, kSeekSet), Err(Errno::kESPIPE));
  EXPECT_EQ(Sys(kPread, r, mem_->Alloc(8), 1, 0), Err(Errno::kESPIPE));
  // close_range.
  EXPECT_EQ(Sys(kCloseRange, 10, 5, 0), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kCloseRange, 10, ~0u, 0), 0);
  EXPECT_EQ(Sys(kFcntl, 20, fcntl::kGetFd), Err(Errno::kEBADF));
  EXPECT_EQ(Sys(kPipe2, fds, 0x1), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kPipe2, mem_->end(), 0), Err(Errno::kEFAULT));
  EXPECT_EQ(Sys(kFcntl, 3, fcntl::kGetFd), Err(Errno::kEBADF));  // the failed pipe left nothing
}

// flock(2)'s argument checks in Linux's order: LOCK_MAND is ignored with success before the
// fd is even looked at, a bad operation is EINVAL before a bad fd is EBADF [fs/locks.c].
TEST_F(SyscallTest, FlockOperationChecks) {
  i64 fd = OpenFile("/locked", o::kRdWr | o::kCreat);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(Sys(kFlock, static_cast<u64>(fd), 99), 0) << "LOCK_MAND|LOCK_SH|LOCK_EX|64";
  EXPECT_EQ(Sys(kFlock, 999, kLockMand), 0);
  EXPECT_EQ(Sys(kFlock, static_cast<u64>(fd), kLockSh | kLockEx), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kFlock, static_cast<u64>(fd), 0), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kFlock, 999, 0), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kFlock, 999, kLockSh), Err(Errno::kEBADF));
  EXPECT_EQ(Sys(kFlock, static_cast<u64>(fd), kLockEx | kLockNb), 0);
  EXPECT_EQ(Sys(kFlock, static_cast<u64>(fd), kLockUn), 0);
}

TEST_F(SyscallTest, PollAndSelect) {
  u64 fds = mem_->Alloc(8);
  ASSERT_EQ(Sys(kPipe2, fds, 0), 0);
  int r = mem_->Get<int>(fds), w = mem_->Get<int>(fds + 4);
  syscalls::PollFd pfd[3] = {{r, static_cast<i16>(ev::kIn), 0},
                             {w, static_cast<i16>(ev::kOut), 0},
                             {99, static_cast<i16>(ev::kIn), 0}};
  u64 up = mem_->Put(pfd, sizeof(pfd));
  EXPECT_EQ(Sys(kPoll, up, 3, 0), 2);
  EXPECT_EQ(mem_->Get<syscalls::PollFd>(up).revents, 0);
  EXPECT_EQ(mem_->Get<syscalls::PollFd>(up + 8).revents, static_cast<i16>(ev::kOut));
  EXPECT_EQ(mem_->Get<syscalls::PollFd>(up + 16).revents, static_cast<i16>(ev::kNval));
  EXPECT_EQ(Sys(kPoll, up, 1u << 30, 0), Err(Errno::kEINVAL));
  // A timed poll with nothing ready returns 0 after the (virtual) time passes.
  EXPECT_EQ(Sys(kPoll, up, 1, 5), 0);
  // select: the read end is readable once the writer is gone (hang-up counts as readable).
  ASSERT_EQ(Sys(kClose, w), 0);
  u64 rset = mem_->PutValue(u64{1} << r);
  syscalls::SelectTimeval tv{0, 0};
  EXPECT_EQ(Sys(kSelect, r + 1, rset, 0, 0, mem_->PutValue(tv)), 1);
  EXPECT_EQ(mem_->Get<u64>(rset), u64{1} << r);
  u64 bad = mem_->PutValue(u64{1} << 40);
  EXPECT_EQ(Sys(kSelect, 41, bad, 0, 0, mem_->PutValue(tv)), Err(Errno::kEBADF));
  syscalls::SelectTimeval neg{0, -1};
  EXPECT_EQ(Sys(kSelect, 1, 0, 0, 0, mem_->PutValue(neg)), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kSelect, static_cast<u64>(-1), 0, 0, 0, 0), Err(Errno::kEINVAL));
  // ppoll: a bad sigset size, and the remaining time written back.
  fs::Timespec ts{1, 0};
  u64 uts = mem_->PutValue(ts);
  EXPECT_EQ(Sys(kPpoll, up, 1, uts, mem_->PutValue(u64{0}), 4), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kPpoll, up, 1, uts, 0, 8), 1);
  EXPECT_LE(mem_->Get<fs::Timespec>(uts).sec, 1);
}

TEST_F(SyscallTest, EpollAndEventfd) {
  i64 ep = Sys(kEpollCreate1, o::kCloexec);
  ASSERT_GE(ep, 0);
  i64 efd = Sys(kEventfd2, 0, o::kNonBlock);
  ASSERT_GE(efd, 0);
  EpollEvent e{ev::kIn | ev::kEdge, 0x1234};
  EXPECT_EQ(Sys(kEpollCtl, ep, kEpollCtlAdd, efd, mem_->Put(&e, sizeof(e))), 0);
  EXPECT_EQ(Sys(kEpollCtl, ep, kEpollCtlAdd, ep, mem_->Put(&e, sizeof(e))), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kEpollCtl, ep, kEpollCtlAdd, efd, mem_->end()), Err(Errno::kEFAULT));
  u64 out = mem_->Alloc(sizeof(EpollEvent) * 4);
  EXPECT_EQ(Sys(kEpollWait, ep, out, 4, 0), 0);
  EXPECT_EQ(Sys(kWrite, efd, mem_->PutValue(u64{5}), 8), 8);
  EXPECT_EQ(Sys(kEpollWait, ep, out, 4, 0), 1);
  EpollEvent got = mem_->Get<EpollEvent>(out);
  EXPECT_EQ(got.events, ev::kIn);
  EXPECT_EQ(got.data, 0x1234u);
  EXPECT_EQ(Sys(kEpollWait, ep, out, 0, 0), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kEpollWait, efd, out, 4, 0), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kEpollWait, ep, out, 4, 0), 0) << "edge-triggered: reported once";
  EXPECT_EQ(Sys(kWrite, efd, mem_->PutValue(u64{1}), 8), 8);  // a new edge
  EXPECT_EQ(Sys(kEpollWait, ep, mem_->end(), 4, 0), Err(Errno::kEFAULT));
  u64 v = mem_->Alloc(8);
  EXPECT_EQ(Sys(kRead, efd, v, 8), 8);
  EXPECT_EQ(mem_->Get<u64>(v), 6u);
}

TEST_F(SyscallTest, CwdAndNames) {
  ASSERT_EQ(Sys(kMkdir, Str("/w"), 0777), 0);
  EXPECT_EQ(Sys(kUmask, 077), 022);
  EXPECT_EQ(Sys(kUmask, 022), 077);
  ASSERT_EQ(Sys(kChdir, Str("/w")), 0);
  u64 buf = mem_->Alloc(64);
  EXPECT_EQ(Sys(kGetcwd, buf, 64), 3);
  EXPECT_EQ(mem_->GetString(buf, 3), std::string("/w\0", 3));
  EXPECT_EQ(Sys(kGetcwd, buf, 2), Err(Errno::kERANGE));
  EXPECT_GE(OpenFile("rel", o::kWrOnly | o::kCreat), 0);
  EXPECT_EQ(Sys(kRename, Str("rel"), Str("/w/renamed")), 0);
  ASSERT_EQ(Sys(kSymlink, Str("renamed"), Str("link")), 0);
  EXPECT_EQ(Sys(kReadlink, Str("link"), buf, 64), 7);
  EXPECT_EQ(mem_->GetString(buf, 7), "renamed");
  EXPECT_EQ(Sys(kReadlink, Str("link"), buf, 0), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kReadlink, Str("renamed"), buf, 64), Err(Errno::kEINVAL));
  EXPECT_EQ(Sys(kUnlink, Str("link")), 0);
  EXPECT_EQ(Sys(kUnlink, Str("link")), Err(Errno::kENOENT));
  EXPECT_EQ(Sys(kMkdir, Str(std::string(300, 'x')), 0755), Err(Errno::kENAMETOOLONG));
}

TEST_F(SyscallTest, SendfileAndCopyFileRange) {
  i64 src = OpenFile("/src", o::kRdWr | o::kCreat);
  std::string data(20000, 'q');
  data[19999] = 'Z';
  ASSERT_EQ(Sys(kWrite, src, mem_->Put(data.data(), data.size()), data.size()), 20000);
  i64 dst = OpenFile("/dst", o::kRdWr | o::kCreat);
  u64 off = mem_->PutValue(i64{10});
  EXPECT_EQ(Sys(kSendfile, dst, src, off, 100000), 19990);
  EXPECT_EQ(mem_->Get<i64>(off), 20000);
  EXPECT_EQ(Sys(kLseek, src, 0, kSeekCur), 20000);  // the source position did not move
  EXPECT_EQ(Sys(kLseek, dst, 0, kSeekCur), 19990);
  i64 cpy = OpenFile("/cpy", o::kRdWr | o::kCreat);
  u64 in_off = mem_->PutValue(i64{19990});
  EXPECT_EQ(Sys(kCopyFileRange, src, in_off, cpy, 0, 50, 0), 10);
  u64 buf = mem_->Alloc(16);
  EXPECT_EQ(Sys(kPread, cpy, buf, 10, 0), 10);
  EXPECT_EQ(mem_->GetString(buf + 9, 1), "Z");
  EXPECT_EQ(Sys(kCopyFileRange, src, 0, cpy, 0, 1, 1), Err(Errno::kEINVAL));
  u64 fds = mem_->Alloc(8);
  ASSERT_EQ(Sys(kPipe2, fds, 0), 0);
  EXPECT_EQ(Sys(kCopyFileRange, mem_->Get<int>(fds), 0, cpy, 0, 1, 0), Err(Errno::kEINVAL));
  // sendfile into a pipe works; out-of-range offsets do not.
  EXPECT_EQ(Sys(kSendfile, mem_->Get<int>(fds + 4), src, mem_->PutValue(i64{0}), 100), 100);
  EXPECT_EQ(Sys(kSendfile, dst, src, mem_->PutValue(i64{-1}), 1), Err(Errno::kEINVAL));
}

TEST_F(SyscallTest, Openat2Validation) {
  struct How {
    u64 flags, mode, resolve;
  };
  auto openat2 = [&](How h, u64 size = sizeof(How)) {
    return Sys(kOpenat2, static_cast<u64>(kAtFdCwd), Str("/o2"), mem_->Put(&h, sizeof(h)), size);
  };
  EXPECT_GE(openat2({o::kRdWr | o::kCreat, 0600, 0}), 0);
  EXPECT_EQ(openat2({o::kRdOnly, 0600, 0}), Err(Errno::kEINVAL));  // mode without O_CREAT
  EXPECT_EQ(openat2({u64{1} << 40, 0, 0}), Err(Errno::kEINVAL));   // unknown flag
  EXPECT_EQ(openat2({o::kRdOnly, 0, 0x40}), Err(Errno::kEINVAL));  // unknown resolve
  EXPECT_EQ(openat2({o::kRdOnly, 0, 0}, 8), Err(Errno::kEINVAL));  // too small
  EXPECT_EQ(openat2({o::kRdOnly, 0, resolve::kBeneath | resolve::kInRoot}), Err(Errno::kEINVAL));
  EXPECT_GE(openat2({o::kRdOnly, 0, resolve::kNoSymlinks}), 0);
}

}  // namespace
}  // namespace kernel::fs
