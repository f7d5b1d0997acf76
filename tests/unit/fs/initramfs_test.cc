// The initramfs: cpio newc (plain, gzip, concatenated), every entry type, hard links, modes
// and owners, and clear errors for malformed archives.
#include "kernel/fs/initramfs/initramfs.h"

#include "kernel/fs/initramfs/cpio.h"
#include "kernel/lib/inflate.h"
#include "tests/support/fs_test_support.h"

namespace kernel::fs {
namespace {

using testing::CpioWriter;
using testing::FsTest;
using testing::Gzip;

class InitramfsTest : public FsTest {
 protected:
  Result<void> Unpack(const std::string& bytes, std::string* message = nullptr) {
    const char* msg = nullptr;
    ctx_->SetUmask(0);
    Result<void> r = UnpackArchive(
        actor_, lib::span<const u8>(reinterpret_cast<const u8*>(bytes.data()), bytes.size()), &msg);
    ctx_->SetUmask(022);
    if (message != nullptr && msg != nullptr) *message = msg;
    return r;
  }
  static CpioWriter Sample() {
    CpioWriter w;
    w.Add(".", mode::kDirectory | 0755);
    w.Add("bin", mode::kDirectory | 0755, "", 0, 2, 0, 0, 0, 0, 1234);
    w.Add("bin/busybox", mode::kRegular | 04755, "#!ELF...", 0, 1, 0, 0, 0, 0, 999);
    w.Add("bin/sh", mode::kSymlink | 0777, "busybox");
    w.Add("etc", mode::kDirectory | 0755);
    w.Add("etc/passwd", mode::kRegular | 0644, "root:x:0:0::/root:/bin/sh\n", 0, 1, 0, 0, 0, 0);
    w.Add("etc/shadow", mode::kRegular | 0640, "root::1::::::\n", 0, 1, 0, 0, 0, 42);
    w.Add("dev", mode::kDirectory | 0755);
    w.Add("dev/console", mode::kChar | 0600, "", 0, 1, 5, 1);
    w.Add("dev/sda", mode::kBlock | 0660, "", 0, 1, 8, 0, 0, 6);
    w.Add("run", mode::kDirectory | 0755);
    w.Add("run/fifo", mode::kFifo | 0600);
    // Two names for one file: newc puts the data on the last one.
    w.Add("bin/a", mode::kRegular | 0755, "", 77, 2);
    w.Add("bin/b", mode::kRegular | 0755, "shared", 77, 2);
    w.Trailer();
    return w;
  }
  void CheckSample() {
    EXPECT_EQ(ReadFile("/bin/busybox").value(), "#!ELF...");
    Path bb = Lookup("/bin/busybox").value();
    EXPECT_EQ(bb.inode()->mode(), mode::kRegular | 04755u);
    EXPECT_EQ(bb.inode()->mtime().sec, 999);
    EXPECT_EQ(Lookup("/bin").value().inode()->mtime().sec, 1234);  // set after its children
    EXPECT_TRUE(Lookup("/bin/sh", false).value().inode()->is_symlink());
    EXPECT_EQ(ReadFile("/bin/sh").value(), "#!ELF...");
    EXPECT_EQ(Lookup("/etc/shadow").value().inode()->gid(), 42u);
    EXPECT_EQ(Lookup("/etc/shadow").value().inode()->mode() & 07777, 0640u);
    Path console = Lookup("/dev/console").value();
    EXPECT_TRUE(IsChr(console.inode()->mode()));
    EXPECT_EQ(console.inode()->rdev(), MakeDev(5, 1));
    EXPECT_EQ(Lookup("/dev/sda").value().inode()->rdev(), MakeDev(8, 0));
    EXPECT_TRUE(IsFifo(Lookup("/run/fifo").value().inode()->mode()));
    EXPECT_EQ(Lookup("/bin/a").value().inode(), Lookup("/bin/b").value().inode());
    EXPECT_EQ(Lookup("/bin/a").value().inode()->nlink(), 2u);
    EXPECT_EQ(ReadFile("/bin/a").value(), "shared");
  }
};

TEST_F(InitramfsTest, PlainArchive) {
  ASSERT_TRUE(Unpack(Sample().bytes()).ok());
  CheckSample();
}

TEST_F(InitramfsTest, GzipArchive) {
  std::string gz = Gzip(Sample().bytes());
  ASSERT_FALSE(gz.empty());
  ASSERT_TRUE(Unpack(gz).ok());
  CheckSample();
}

TEST_F(InitramfsTest, ConcatenatedArchivesMixedCompression) {
  CpioWriter first, second;
  first.Add("a", mode::kRegular | 0644, "one");
  first.Trailer();
  second.Add("b", mode::kRegular | 0644, "two");
  second.Add("a", mode::kRegular | 0600, "ONE");  // later archives overwrite
  second.Trailer();
  std::string padding(512, '\0');
  ASSERT_TRUE(Unpack(first.bytes() + padding + Gzip(second.bytes()) + padding).ok());
  EXPECT_EQ(ReadFile("/a").value(), "ONE");
  EXPECT_EQ(ReadFile("/b").value(), "two");
  EXPECT_EQ(Lookup("/a").value().inode()->mode() & 07777, 0600u);
}

TEST_F(InitramfsTest, EntryTypeChangesReplaceOldEntries) {
  CpioWriter w;
  w.Add("x", mode::kDirectory | 0755);
  w.Add("x", mode::kRegular | 0644, "now a file");
  w.Add("y", mode::kRegular | 0644, "file");
  w.Add("y", mode::kSymlink | 0777, "x");
  w.Trailer();
  ASSERT_TRUE(Unpack(w.bytes()).ok());
  EXPECT_EQ(ReadFile("/x").value(), "now a file");
  EXPECT_TRUE(Lookup("/y", false).value().inode()->is_symlink());
}

TEST_F(InitramfsTest, BigFileFromCompressedStream) {
  std::string big;
  for (int i = 0; i < 300000; ++i) big += static_cast<char>("abcdefghij"[(i * 7 + i / 13) % 10]);
  CpioWriter w;
  w.Add("big", mode::kRegular | 0644, big);
  w.Trailer();
  for (int level : {1, 9}) {
    ASSERT_TRUE(Unpack(Gzip(w.bytes(), level)).ok());
    EXPECT_EQ(ReadFile("/big").value(), big);
  }
}

TEST_F(InitramfsTest, MalformedArchivesNameTheEntry) {
  std::string bytes = Sample().bytes();
  std::string message;
  // Truncated inside bin/busybox's data.
  usize cut = bytes.find("#!ELF") + 3;
  EXPECT_EQ(Unpack(bytes.substr(0, cut), &message).error(), Errno::kEINVAL);
  EXPECT_NE(message.find("bin/busybox"), std::string::npos) << message;
  // No trailer.
  CpioWriter w;
  w.Add("only", mode::kRegular | 0644, "x");
  EXPECT_EQ(Unpack(w.bytes(), &message).error(), Errno::kEINVAL);
  EXPECT_NE(message.find("only"), std::string::npos) << message;
  // Garbage in a header after an entry.
  std::string bad = Sample().bytes();
  usize etc = bad.find("etc/passwd") - 110;
  bad[etc + 7] = 'Z';
  EXPECT_EQ(Unpack(bad, &message).error(), Errno::kEINVAL);
  EXPECT_NE(message.find("hex"), std::string::npos) << message;
  // Not an archive at all; another compressor.
  EXPECT_EQ(Unpack("hello world", &message).error(), Errno::kEINVAL);
  EXPECT_NE(message.find("not cpio"), std::string::npos) << message;
  // NOLINTNEXTLINE(bugprone-string-literal-with-embedded-nul): the NULs are the payload
  EXPECT_EQ(Unpack(std::string("\xfd"
                               "7zXZ\0\0\0\0\0\0\0\0",
                               13),
                   &message)
                .error(),
            Errno::kEINVAL);
  EXPECT_NE(message.find("xz"), std::string::npos) << message;
  // Corrupt gzip: a flipped byte in the middle, and a truncated stream.
  std::string gz = Gzip(Sample().bytes());
  std::string flipped = gz;
  flipped[gz.size() / 2] ^= 0x55;
  EXPECT_TRUE(Unpack(flipped, &message).is_error());
  EXPECT_FALSE(message.empty());
  EXPECT_EQ(Unpack(gz.substr(0, gz.size() - 6), &message).error(), Errno::kEINVAL);
  // A name that is not NUL-terminated, and an absurd name size.
  CpioWriter n;
  n.Add("abc", mode::kRegular | 0644, "");
  std::string nb = n.bytes();
  nb[110 + 3] = 'd';
  EXPECT_EQ(Unpack(nb, &message).error(), Errno::kEINVAL);
  EXPECT_NE(message.find("NUL"), std::string::npos) << message;
}

TEST_F(InitramfsTest, MountRootFromInitramfs) {
  check_leaks_ = false;  // the init context stays (until reset below)
  std::string bytes = Sample().bytes();
  ASSERT_TRUE(MountRootFromInitramfs(
                  lib::span<const u8>(reinterpret_cast<const u8*>(bytes.data()), bytes.size()))
                  .ok());
  lib::RefPtr<FsContext> init = InitFsContext();
  ASSERT_TRUE(init);
  Actor a{nullptr, init.get(), nullptr, Credentials::Root()};
  EXPECT_TRUE(ResolvePath(a, kAtFdCwd, "/bin/busybox", walk::kFollow).ok());
  // Nothing is mounted over the archive (as on Linux): its own /dev holds the console.
  Path console = ResolvePath(a, kAtFdCwd, "/dev/console", walk::kFollow).value();
  EXPECT_STREQ(console.mnt->sb().type().name, "rootfs");
  EXPECT_EQ(ResolvePath(a, kAtFdCwd, "/dev/null", walk::kFollow).error(), Errno::kENOENT);
  lib::RefPtr<FdTable> fds = FdTable::Create().value();
  ASSERT_TRUE(OpenInitConsole(*fds).ok());
  EXPECT_EQ(fds->open_count(), 3u);
  EXPECT_EQ(fds->Get(0).value(), fds->Get(2).value());
  // What an init mounts: devtmpfs, already populated, over the archive's /dev; then proc.
  ASSERT_TRUE(MountInitFileSystems().ok());
  console = ResolvePath(a, kAtFdCwd, "/dev/console", walk::kFollow).value();
  EXPECT_STREQ(console.mnt->sb().type().name, "devtmpfs");
  EXPECT_TRUE(ResolvePath(a, kAtFdCwd, "/dev/null", walk::kFollow).ok());
  EXPECT_EQ(ResolvePath(a, kAtFdCwd, "/dev/sda", walk::kFollow).error(), Errno::kENOENT);
  EXPECT_TRUE(ResolvePath(a, kAtFdCwd, "/dev/pts", walk::kFollow).ok());
  EXPECT_STREQ(ResolvePath(a, kAtFdCwd, "/proc/self", 0).value().mnt->sb().type().name, "proc");
  fds = nullptr;
  init = nullptr;
  ResetInitFsContextForTesting();
  // A broken archive fails cleanly.
  std::string broken = bytes.substr(0, 300);
  EXPECT_EQ(MountRootFromInitramfs(
                lib::span<const u8>(reinterpret_cast<const u8*>(broken.data()), broken.size()))
                .error(),
            Errno::kEINVAL);
  EXPECT_FALSE(InitFsContext());
}

TEST(InflateTest, Crc32KnownValue) {
  const char* s = "123456789";
  EXPECT_EQ(lib::Crc32(0, reinterpret_cast<const u8*>(s), 9), 0xCBF43926u);
}

}  // namespace
}  // namespace kernel::fs
