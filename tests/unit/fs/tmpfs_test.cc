// tmpfs: data, sparse files and SEEK_DATA/SEEK_HOLE, truncation, the page cache for mmap,
// timestamps, directory iteration with stable cookies, limits.
#include "kernel/fs/tmpfs/tmpfs.h"

#include <hal/phys.h>

#include "kernel/fs/attr.h"
#include "kernel/fs/namei.h"
#include "kernel/fs/open.h"
#include "tests/support/fs_test_support.h"

namespace kernel::fs {
namespace {

using testing::FsTest;

class TmpfsTest : public FsTest {};

TEST_F(TmpfsTest, WriteReadAcrossPages) {
  std::string data;
  for (int i = 0; i < 3 * 4096 + 100; ++i) data.push_back(static_cast<char>('a' + i % 26));
  ASSERT_TRUE(WriteFile("/f", data).ok());
  EXPECT_EQ(ReadFile("/f").value(), data);
  Stat st;
  FillStat(Lookup("/f").value(), st);
  EXPECT_EQ(st.size, static_cast<i64>(data.size()));
  EXPECT_EQ(st.blocks, 4 * 8);
  EXPECT_EQ(st.blksize, 4096);
  EXPECT_TRUE(IsReg(st.mode));
  // Reads at and past EOF.
  lib::RefPtr<File> f = OpenPath("/f", o::kRdOnly).value();
  char buf[10];
  u64 off = data.size();
  EXPECT_EQ(f->Read(IoBuffer::Kernel(buf, 10), off).value(), 0u);
  off = data.size() - 3;
  EXPECT_EQ(f->Read(IoBuffer::Kernel(buf, 10), off).value(), 3u);
}

TEST_F(TmpfsTest, SparseFilesReadZerosAndSeekDataHole) {
  lib::RefPtr<File> f = OpenPath("/sparse", o::kRdWr | o::kCreat).value();
  u64 off = 3 * 4096 + 10;
  ASSERT_EQ(f->Write(IoBuffer::KernelConst("X", 1), off).value(), 1u);
  off = 10ul * 4096;
  ASSERT_EQ(f->Write(IoBuffer::KernelConst("Y", 1), off).value(), 1u);
  EXPECT_EQ(f->inode()->size(), 10 * 4096 + 1u);
  EXPECT_EQ(f->inode()->blocks(), 2 * 8u);  // holes cost nothing
  std::string all = ReadFile("/sparse").value();
  EXPECT_EQ(all.size(), 10 * 4096 + 1u);
  EXPECT_EQ(all[0], '\0');
  EXPECT_EQ(all[3 * 4096 + 10], 'X');
  EXPECT_EQ(all[10ul * 4096], 'Y');
  // SEEK_DATA/SEEK_HOLE with page granularity, as tmpfs answers them.
  EXPECT_EQ(f->Seek(0, kSeekData).value(), 3 * 4096u);
  EXPECT_EQ(f->Seek(3 * 4096 + 20, kSeekData).value(), 3 * 4096 + 20u);
  EXPECT_EQ(f->Seek(0, kSeekHole).value(), 0u);
  EXPECT_EQ(f->Seek(3l * 4096, kSeekHole).value(), 4 * 4096u);
  EXPECT_EQ(f->Seek(4l * 4096, kSeekData).value(), 10 * 4096u);
  EXPECT_EQ(f->Seek(10l * 4096, kSeekHole).value(), 10 * 4096 + 1u);  // EOF is a hole
  EXPECT_EQ(f->Seek(10 * 4096 + 1, kSeekData).error(), Errno::kENXIO);
  EXPECT_EQ(f->Seek(-1, kSeekData).error(), Errno::kENXIO);
  EXPECT_EQ(f->Seek(-1, kSeekSet).error(), Errno::kEINVAL);
  EXPECT_EQ(f->Seek(5, 99).error(), Errno::kEINVAL);
  EXPECT_EQ(f->Seek(-2, kSeekEnd).value(), 10 * 4096 - 1u);
  EXPECT_EQ(f->Seek(0x7fffffffffffffffll, kSeekCur).error(), Errno::kEINVAL);  // overflow
}

TEST_F(TmpfsTest, TruncateShrinksZeroesAndGrows) {
  ASSERT_TRUE(WriteFile("/t", std::string(9000, 'q')).ok());
  Path p = Lookup("/t").value();
  ASSERT_TRUE(TruncatePath(actor_, p, 5).ok());
  EXPECT_EQ(p.inode()->blocks(), 8u);
  ASSERT_TRUE(TruncatePath(actor_, p, 8192).ok());
  std::string all = ReadFile("/t").value();
  ASSERT_EQ(all.size(), 8192u);
  EXPECT_EQ(all.substr(0, 5), "qqqqq");
  EXPECT_EQ(all.substr(5), std::string(8192 - 5, '\0'));  // no stale bytes come back
  EXPECT_EQ(TruncatePath(actor_, p, -1).error(), Errno::kEINVAL);
  EXPECT_EQ(TruncatePath(actor_, ctx_->root(), 0).error(), Errno::kEISDIR);
  lib::RefPtr<File> ro = OpenPath("/t", o::kRdOnly).value();
  EXPECT_EQ(TruncateFile(*ro, 0).error(), Errno::kEINVAL);
  lib::RefPtr<File> rw = OpenPath("/t", o::kRdWr).value();
  EXPECT_TRUE(TruncateFile(*rw, 0).ok());
  EXPECT_EQ(p.inode()->size(), 0u);
  // Huge sparse files cost nothing, as on Linux (MAX_LFS_FILESIZE is LLONG_MAX).
  EXPECT_TRUE(TruncatePath(actor_, p, i64{1} << 62).ok());
  EXPECT_EQ(p.inode()->blocks(), 0u);
  EXPECT_TRUE(TruncatePath(actor_, p, 0).ok());
}

TEST_F(TmpfsTest, GetPageSharesTheFilesPages) {
  ASSERT_TRUE(WriteFile("/m", "hello").ok());
  lib::RefPtr<File> f = OpenPath("/m", o::kRdWr).value();
  PhysAddr pa = f->GetPage(0).value();
  auto* bytes = static_cast<char*>(hal::Phys::ToVirt(pa));
  EXPECT_EQ(std::string(bytes, 5), "hello");
  EXPECT_EQ(bytes[5], '\0');                   // past EOF within the page: zero
  bytes[0] = 'J';                              // a MAP_SHARED store...
  EXPECT_EQ(ReadFile("/m").value(), "Jello");  // ...is what read(2) sees
  EXPECT_EQ(mm::PageRefCount(pa), 2u);
  mm::PutPage(pa);
  // A page wholly past EOF is a private zero page.
  PhysAddr beyond = f->GetPage(5).value();
  EXPECT_EQ(static_cast<u8*>(hal::Phys::ToVirt(beyond))[100], 0);
  EXPECT_EQ(f->inode()->blocks(), 8u);
  mm::PutPage(beyond);
}

TEST_F(TmpfsTest, TimestampsFollowPosix) {
  ASSERT_TRUE(WriteFile("/ts", "a").ok());
  Path p = Lookup("/ts").value();
  Timespec times[2] = {{1000, 5}, {2000, 6}};
  ASSERT_TRUE(SetTimes(actor_, p, times).ok());
  EXPECT_EQ(p.inode()->atime().sec, 1000);
  EXPECT_EQ(p.inode()->mtime().sec, 2000);
  EXPECT_EQ(p.inode()->mtime().nsec, 6);
  Timespec omit[2] = {{0, kUtimeOmit}, {5, kUtimeNow}};
  ASSERT_TRUE(SetTimes(actor_, p, omit).ok());
  EXPECT_EQ(p.inode()->atime().sec, 1000);
  EXPECT_GT(p.inode()->mtime().sec, 2000);
  Timespec bad[2] = {{0, 1'000'000'000}, {0, 0}};
  EXPECT_EQ(SetTimes(actor_, p, bad).error(), Errno::kEINVAL);
  // Explicit times are the owner's business; "now" needs only write permission.
  Actor user = actor_;
  user.cred = Credentials::User(9, 9);
  EXPECT_EQ(SetTimes(user, p, times).error(), Errno::kEPERM);
  EXPECT_EQ(SetTimes(user, p, nullptr).error(), Errno::kEACCES);
  ASSERT_TRUE(ChangeMode(actor_, p, 0666).ok());
  EXPECT_TRUE(SetTimes(user, p, nullptr).ok());
  // A write moves mtime and ctime.
  ASSERT_TRUE(SetTimes(actor_, p, times).ok());
  ASSERT_TRUE(WriteFile("/ts", "b").ok());
  EXPECT_GT(p.inode()->mtime().sec, 2000);
}

TEST_F(TmpfsTest, ChmodChownRules) {
  ASSERT_TRUE(WriteFile("/o", "").ok());
  Path p = Lookup("/o").value();
  ASSERT_TRUE(ChangeOwner(actor_, p, 100, 100).ok());
  Actor owner = actor_, other = actor_;
  owner.cred = Credentials::User(100, 100);
  other.cred = Credentials::User(200, 200);
  EXPECT_TRUE(ChangeMode(owner, p, 04755).ok());
  EXPECT_EQ(ChangeMode(other, p, 0777).error(), Errno::kEPERM);
  EXPECT_EQ(ChangeOwner(owner, p, 200, ~0u).error(), Errno::kEPERM);  // no giving away
  EXPECT_EQ(ChangeOwner(owner, p, ~0u, 300).error(), Errno::kEPERM);  // not a member
  EXPECT_TRUE(ChangeOwner(owner, p, ~0u, 100).ok());
  // chown drops set-user-ID.
  EXPECT_EQ(p.inode()->mode() & mode::kSetUid, 0u);
  // -1, -1 keeps both.
  EXPECT_TRUE(ChangeOwner(actor_, p, ~0u, ~0u).ok());
  EXPECT_EQ(p.inode()->uid(), 100u);
  // A non-member setting set-group-ID loses it.
  ASSERT_TRUE(ChangeOwner(actor_, p, 100, 555).ok());
  ASSERT_TRUE(ChangeMode(owner, p, 02755).ok());
  EXPECT_EQ(p.inode()->mode() & 07777, 0755u);
}

TEST_F(TmpfsTest, ReaddirCookiesSurviveRemovals) {
  ASSERT_TRUE(MakeDirectory(actor_, kAtFdCwd, "/d", 0755).ok());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(WriteFile("/d/f" + std::to_string(i), "").ok());
  lib::RefPtr<File> dir = OpenPath("/d", o::kRdOnly | o::kDirectory).value();
  // A sink that takes three entries at a time.
  struct Three final : DirSink {
    bool Emit(lib::string_view name, u64, u8, u64) override {
      if (got.size() == limit) return false;
      got.emplace_back(name.data(), name.size());
      return true;
    }
    std::vector<std::string> got;
    usize limit = 3;
  } sink;
  ASSERT_TRUE(dir->ReadDir(sink).ok());
  EXPECT_EQ(sink.got, (std::vector<std::string>{".", "..", "f0"}));
  // Remove one already seen and one not yet seen; neither disturbs the iteration.
  ASSERT_TRUE(Unlink(actor_, kAtFdCwd, "/d/f0", 0).ok());
  ASSERT_TRUE(Unlink(actor_, kAtFdCwd, "/d/f4", 0).ok());
  sink.limit = 100;
  ASSERT_TRUE(dir->ReadDir(sink).ok());
  EXPECT_EQ(sink.got, (std::vector<std::string>{".", "..", "f0", "f1", "f2", "f3", "f5", "f6", "f7",
                                                "f8", "f9"}));
  // At the end; a later entry appears on the next call; rewinding starts over.
  ASSERT_TRUE(WriteFile("/d/late", "").ok());
  sink.got.clear();
  ASSERT_TRUE(dir->ReadDir(sink).ok());
  EXPECT_EQ(sink.got, (std::vector<std::string>{"late"}));
  EXPECT_EQ(dir->Seek(0, kSeekSet).value(), 0u);
  EXPECT_EQ(dir->Seek(0, kSeekEnd).error(), Errno::kEINVAL);
  EXPECT_EQ(List("/d").size(), 11u);
}

TEST_F(TmpfsTest, SizeLimitGivesENOSPC) {
  lib::RefPtr<FsContext> small =
      CreateRootContext(tmpfs::kTmpfsType, "size=8k,nr_inodes=3").value();
  Actor a{nullptr, small.get(), nullptr, Credentials::Root()};
  lib::RefPtr<File> f = Open(a, kAtFdCwd, "/big", o::kWrOnly | o::kCreat, 0644).value();
  std::string data(3ul * 4096, 'z');
  u64 off = 0;
  EXPECT_EQ(f->Write(IoBuffer::KernelConst(data.data(), data.size()), off).value(), 8192u);
  off = 8192;
  EXPECT_EQ(f->Write(IoBuffer::KernelConst("x", 1), off).error(), Errno::kENOSPC);
  StatFs sf;
  FillStatFs(Path{small->root()}, sf);
  EXPECT_EQ(sf.type, magic::kTmpfs);
  EXPECT_EQ(sf.blocks, 2u);
  EXPECT_EQ(sf.bfree, 0u);
  ASSERT_TRUE(Open(a, kAtFdCwd, "/i2", o::kWrOnly | o::kCreat, 0644).ok());
  EXPECT_EQ(Open(a, kAtFdCwd, "/i3", o::kWrOnly | o::kCreat, 0644).error(), Errno::kENOSPC);
  EXPECT_EQ(CreateRootContext(tmpfs::kTmpfsType, "bogus=1").error(), Errno::kEINVAL);
  EXPECT_EQ(CreateRootContext(tmpfs::kTmpfsType, "size=12q").error(), Errno::kEINVAL);
}

TEST_F(TmpfsTest, OutOfMemoryUnwindsCleanly) {
  // Every allocation point in create-and-write fails in turn; nothing may leak or crash.
  int failures = 0;
  for (usize n = 0; n < 40; ++n) {
    mm::heap::FailAfter(n);
    mm::FailPageAllocAfter(n);
    Result<void> r = WriteFile("/oom" + std::to_string(n), std::string(5000, 'o'));
    mm::heap::ClearFailure();
    mm::ClearPageAllocFailure();
    if (r.is_error()) {
      ++failures;
      EXPECT_TRUE(r.error() == Errno::kENOMEM) << ToInt(r.error());
    }
  }
  EXPECT_GT(failures, 3);
  EXPECT_TRUE(WriteFile("/after", "fine").ok());
}

}  // namespace
}  // namespace kernel::fs
