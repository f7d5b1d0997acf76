// open(2) flags and the name operations: mkdir, mknod, unlink, rmdir, rename, link, symlink,
// readlink, O_TMPFILE, umask.
#include "kernel/fs/namei.h"

#include "kernel/fs/attr.h"
#include "kernel/fs/open.h"
#include "tests/support/fs_test_support.h"

namespace kernel::fs {
namespace {

using testing::FsTest;

class NameiTest : public FsTest {
 protected:
  void Mkdir(const std::string& p, u32 mode = 0755) {
    ASSERT_TRUE(MakeDirectory(actor_, kAtFdCwd, p, mode).ok()) << p;
  }
  Errno MkdirErr(const std::string& p) {
    Result<void> r = MakeDirectory(actor_, kAtFdCwd, p, 0755);
    return r.ok() ? Errno{} : r.error();
  }
  Errno UnlinkErr(const std::string& p, u32 flags = 0) {
    Result<void> r = Unlink(actor_, kAtFdCwd, p, flags);
    return r.ok() ? Errno{} : r.error();
  }
  Errno RenameErr(const std::string& a, const std::string& b, u32 flags = 0) {
    Result<void> r = Rename(actor_, kAtFdCwd, a, kAtFdCwd, b, flags);
    return r.ok() ? Errno{} : r.error();
  }
  u32 Nlink(const std::string& p) { return Lookup(p, false).value().inode()->nlink(); }
  u32 Mode(const std::string& p) { return Lookup(p, false).value().inode()->mode(); }
};

TEST_F(NameiTest, OpenFlagErrors) {
  Mkdir("/d");
  ASSERT_TRUE(WriteFile("/d/f", "abc").ok());
  EXPECT_EQ(OpenErr("/d/f", o::kWrOnly | o::kCreat | o::kExcl), Errno::kEEXIST);
  EXPECT_EQ(OpenErr("/d", o::kWrOnly), Errno::kEISDIR);
  EXPECT_EQ(OpenErr("/d", o::kRdOnly | o::kCreat), Errno::kEISDIR);
  EXPECT_EQ(OpenErr("/d/f", o::kRdOnly | o::kDirectory), Errno::kENOTDIR);
  EXPECT_EQ(OpenErr("/d/missing", o::kRdOnly), Errno::kENOENT);
  EXPECT_EQ(OpenErr("/d/new/", o::kWrOnly | o::kCreat), Errno::kEISDIR);
  EXPECT_EQ(OpenErr("/d/x", o::kRdOnly | o::kCreat | o::kDirectory), Errno::kEINVAL);
  EXPECT_EQ(OpenErr("/", o::kWrOnly | o::kCreat), Errno::kEISDIR);
  EXPECT_EQ(OpenErr("/d/.", o::kRdOnly), Errno{});
  // O_TRUNC empties, O_APPEND appends wherever the position is.
  lib::RefPtr<File> f = OpenPath("/d/f", o::kRdWr | o::kTrunc).value();
  EXPECT_EQ(f->inode()->size(), 0u);
  ASSERT_TRUE(Write(*f, "12345").ok());
  lib::RefPtr<File> a = OpenPath("/d/f", o::kWrOnly | o::kAppend).value();
  a->set_pos(0);
  ASSERT_TRUE(Write(*a, "67").ok());
  EXPECT_EQ(a->pos(), 7u);
  EXPECT_EQ(ReadFile("/d/f").value(), "1234567");
}

// do_open's order for names that always exist, and O_TRUNC on a directory [fs/namei.c
// do_open, may_open].
TEST_F(NameiTest, OpenDotsWithCreateAndTruncate) {
  Mkdir("/d");
  EXPECT_EQ(OpenErr("/d/.", o::kRdOnly | o::kCreat | o::kExcl), Errno::kEEXIST);
  EXPECT_EQ(OpenErr("/d/..", o::kRdOnly | o::kCreat | o::kExcl), Errno::kEEXIST);
  EXPECT_EQ(OpenErr("/", o::kRdOnly | o::kCreat | o::kExcl), Errno::kEEXIST);
  EXPECT_EQ(OpenErr("/d/.", o::kRdOnly | o::kCreat), Errno::kEISDIR);
  EXPECT_EQ(OpenErr("/d", o::kRdOnly | o::kCreat | o::kExcl), Errno::kEEXIST);
  EXPECT_EQ(OpenErr("/d", o::kRdOnly | o::kTrunc), Errno::kEISDIR);
  EXPECT_EQ(OpenErr("/d/.", o::kRdOnly | o::kTrunc), Errno::kEISDIR);
  EXPECT_EQ(OpenErr("/d", o::kPath | o::kTrunc), Errno{}) << "O_PATH ignores O_TRUNC";
}

// Nothing can be created in a directory that rmdir (or a replacing rename) removed, even
// through a descriptor still open on it: ENOENT [fs/namei.c may_create, IS_DEADDIR].
TEST_F(NameiTest, CreatingInARemovedDirectoryIsEnoent) {
  Mkdir("/gone");
  Mkdir("/victim");
  Mkdir("/other");
  int gone = fds_->Install(OpenPath("/gone", o::kRdOnly | o::kDirectory).value(), 0).value();
  int victim = fds_->Install(OpenPath("/victim", o::kRdOnly | o::kDirectory).value(), 0).value();
  EXPECT_TRUE(MakeDirectory(actor_, gone, "before", 0755).ok()) << "alive: creation works";
  ASSERT_EQ(UnlinkErr("/gone/before", at::kRemoveDir), Errno{});
  ASSERT_EQ(UnlinkErr("/gone", at::kRemoveDir), Errno{});
  EXPECT_EQ(MakeDirectory(actor_, gone, "sub", 0755).error(), Errno::kENOENT);
  EXPECT_EQ(Open(actor_, gone, "f", o::kWrOnly | o::kCreat, 0644).error(), Errno::kENOENT);
  EXPECT_EQ(Open(actor_, gone, ".", o::kRdOnly | o::kCreat | o::kExcl, 0644).error(),
            Errno::kEEXIST);
  ASSERT_EQ(RenameErr("/other", "/victim"), Errno{});
  EXPECT_EQ(MakeDirectory(actor_, victim, "sub", 0755).error(), Errno::kENOENT);
  EXPECT_TRUE(MakeDirectory(actor_, kAtFdCwd, "/victim/sub", 0755).ok())
      << "the directory renamed into its place is alive";
}

TEST_F(NameiTest, NoFollowAndOPath) {
  ASSERT_TRUE(WriteFile("/target", "t").ok());
  ASSERT_TRUE(fs::Symlink(actor_, "target", kAtFdCwd, "/link").ok());
  EXPECT_EQ(OpenErr("/link", o::kRdOnly | o::kNoFollow), Errno::kELOOP);
  lib::RefPtr<File> p = OpenPath("/link", o::kPath | o::kNoFollow).value();
  EXPECT_EQ(p->kind(), FileKind::kPath);
  EXPECT_TRUE(p->inode()->is_symlink());
  EXPECT_FALSE(p->readable());
  u64 off = 0;
  char c;
  EXPECT_EQ(p->Read(IoBuffer::Kernel(&c, 1), off).error(), Errno::kEBADF);
  // O_PATH on a file without read permission still works (no access is checked).
  Actor user = actor_;
  user.cred = Credentials::User(5, 5);
  ASSERT_TRUE(WriteFile("/private", "p", 0600).ok());
  EXPECT_TRUE(Open(user, kAtFdCwd, "/private", o::kPath, 0).ok());
  EXPECT_EQ(Open(user, kAtFdCwd, "/private", o::kRdOnly, 0).error(), Errno::kEACCES);
  // readlinkat(fd, "") on an O_PATH|O_NOFOLLOW link.
  int fd = fds_->Install(p, 0).value();
  char buf[16];
  EXPECT_EQ(ReadLink(actor_, fd, "", buf, sizeof(buf)).value(), 6u);
  EXPECT_EQ(std::string(buf, 6), "target");
}

TEST_F(NameiTest, CreateThroughDanglingSymlink) {
  ASSERT_TRUE(fs::Symlink(actor_, "/made-by-open", kAtFdCwd, "/dangling").ok());
  EXPECT_EQ(OpenErr("/dangling", o::kRdOnly), Errno::kENOENT);
  EXPECT_EQ(OpenErr("/dangling", o::kWrOnly | o::kCreat | o::kExcl), Errno::kEEXIST);
  ASSERT_TRUE(OpenPath("/dangling", o::kWrOnly | o::kCreat).ok());
  EXPECT_TRUE(Lookup("/made-by-open").ok());
}

TEST_F(NameiTest, UmaskAndSetgidDirectories) {
  ctx_->SetUmask(027);
  ASSERT_TRUE(WriteFile("/f", "", 0666).ok());
  EXPECT_EQ(Mode("/f") & 07777, 0640u);
  Mkdir("/d", 0777);
  EXPECT_EQ(Mode("/d") & 07777, 0750u);
  ASSERT_TRUE(ChangeMode(actor_, Lookup("/d").value(), 02775).ok());
  ASSERT_TRUE(ChangeOwner(actor_, Lookup("/d").value(), ~0u, 77).ok());
  Mkdir("/d/sub", 0777);
  EXPECT_EQ(Mode("/d/sub") & 07777, 02750u);  // inherits set-group-ID
  EXPECT_EQ(Lookup("/d/sub").value().inode()->gid(), 77u);
  ASSERT_TRUE(WriteFile("/d/file", "", 0666).ok());
  EXPECT_EQ(Lookup("/d/file").value().inode()->gid(), 77u);
}

TEST_F(NameiTest, MkdirRmdirAndLinkCounts) {
  Mkdir("/a");
  EXPECT_EQ(Nlink("/"), 3u);
  EXPECT_EQ(Nlink("/a"), 2u);
  Mkdir("/a/b");
  EXPECT_EQ(Nlink("/a"), 3u);
  EXPECT_EQ(MkdirErr("/a"), Errno::kEEXIST);
  EXPECT_EQ(MkdirErr("/a/b/"), Errno::kEEXIST);
  EXPECT_EQ(MkdirErr("/a/c/"), Errno{});  // a trailing slash is fine for mkdir
  EXPECT_EQ(MkdirErr("/"), Errno::kEEXIST);
  EXPECT_EQ(MkdirErr("/a/.."), Errno::kEEXIST);
  EXPECT_EQ(MkdirErr("/missing/x"), Errno::kENOENT);
  EXPECT_EQ(UnlinkErr("/a", at::kRemoveDir), Errno::kENOTEMPTY);
  EXPECT_EQ(UnlinkErr("/a/b/.", at::kRemoveDir), Errno::kEINVAL);
  EXPECT_EQ(UnlinkErr("/a/b/..", at::kRemoveDir), Errno::kENOTEMPTY);
  EXPECT_EQ(UnlinkErr("/a/b"), Errno::kEISDIR);
  EXPECT_EQ(UnlinkErr("/a/b", at::kRemoveDir), Errno{});
  EXPECT_EQ(UnlinkErr("/a/c", at::kRemoveDir), Errno{});
  EXPECT_EQ(Nlink("/a"), 2u);
  ASSERT_TRUE(WriteFile("/a/f", "").ok());
  EXPECT_EQ(UnlinkErr("/a/f", at::kRemoveDir), Errno::kENOTDIR);
  EXPECT_EQ(UnlinkErr("/a/f/"), Errno::kENOTDIR);
  EXPECT_EQ(UnlinkErr("/a/missing"), Errno::kENOENT);
  EXPECT_EQ(UnlinkErr("/a/f"), Errno{});
  EXPECT_EQ(List("/a"), (std::vector<std::string>{".", ".."}));
}

TEST_F(NameiTest, UnlinkedFileStaysReadableWhileOpen) {
  ASSERT_TRUE(WriteFile("/f", "still here").ok());
  lib::RefPtr<File> f = OpenPath("/f", o::kRdOnly).value();
  ASSERT_EQ(UnlinkErr("/f"), Errno{});
  EXPECT_EQ(LookupErr("/f"), Errno::kENOENT);
  EXPECT_EQ(f->inode()->nlink(), 0u);
  EXPECT_EQ(Read(*f).value(), "still here");
  EXPECT_TRUE(f->path().dentry->deleted());
  lib::String shown = PathToString(f->path(), ctx_->root()).release_value();
  EXPECT_STREQ(shown.c_str(), "/f (deleted)");
}

TEST_F(NameiTest, HardLinks) {
  Mkdir("/d");
  ASSERT_TRUE(WriteFile("/d/f", "shared").ok());
  ASSERT_TRUE(Link(actor_, kAtFdCwd, "/d/f", kAtFdCwd, "/g", 0).ok());
  EXPECT_EQ(Nlink("/g"), 2u);
  EXPECT_EQ(Lookup("/g").value().inode(), Lookup("/d/f").value().inode());
  EXPECT_EQ(Link(actor_, kAtFdCwd, "/d", kAtFdCwd, "/dlink", 0).error(), Errno::kEPERM);
  EXPECT_EQ(Link(actor_, kAtFdCwd, "/d/f", kAtFdCwd, "/g", 0).error(), Errno::kEEXIST);
  EXPECT_EQ(Link(actor_, kAtFdCwd, "/nope", kAtFdCwd, "/h", 0).error(), Errno::kENOENT);
  // linkat does not follow a symlink unless AT_SYMLINK_FOLLOW.
  ASSERT_TRUE(fs::Symlink(actor_, "/d/f", kAtFdCwd, "/sl").ok());
  ASSERT_TRUE(Link(actor_, kAtFdCwd, "/sl", kAtFdCwd, "/sl2", 0).ok());
  EXPECT_TRUE(Lookup("/sl2", false).value().inode()->is_symlink());
  ASSERT_TRUE(Link(actor_, kAtFdCwd, "/sl", kAtFdCwd, "/f3", at::kSymlinkFollow).ok());
  EXPECT_EQ(Nlink("/d/f"), 3u);
  ASSERT_EQ(UnlinkErr("/d/f"), Errno{});
  EXPECT_EQ(ReadFile("/g").value(), "shared");
  EXPECT_EQ(Nlink("/g"), 2u);
}

TEST_F(NameiTest, RenameReplacesAndChecks) {
  Mkdir("/a");
  Mkdir("/b");
  ASSERT_TRUE(WriteFile("/a/x", "X").ok());
  ASSERT_TRUE(WriteFile("/b/y", "Y").ok());
  lib::RefPtr<File> open_x = OpenPath("/a/x", o::kRdOnly).value();
  EXPECT_EQ(RenameErr("/a/x", "/b/y"), Errno{});
  EXPECT_EQ(ReadFile("/b/y").value(), "X");
  EXPECT_EQ(LookupErr("/a/x"), Errno::kENOENT);
  // The open file's path follows the rename.
  EXPECT_STREQ(PathToString(open_x->path(), ctx_->root()).release_value().c_str(), "/b/y");
  ASSERT_TRUE(WriteFile("/a/z", "Z").ok());
  EXPECT_EQ(RenameErr("/a/z", "/b/y", kRenameNoReplace), Errno::kEEXIST);
  EXPECT_EQ(RenameErr("/a/z", "/b/y", kRenameExchange), Errno{});
  EXPECT_EQ(ReadFile("/a/z").value(), "X");
  EXPECT_EQ(ReadFile("/b/y").value(), "Z");
  EXPECT_EQ(RenameErr("/a/none", "/b/q"), Errno::kENOENT);
  EXPECT_EQ(RenameErr("/a/z", "/b/nothere", kRenameExchange), Errno::kENOENT);
  EXPECT_EQ(RenameErr("/a/z", "/b/y", kRenameExchange | kRenameNoReplace), Errno::kEINVAL);
  // Directories: not below themselves, not over a non-empty directory, not over a file.
  Mkdir("/a/sub");
  EXPECT_EQ(RenameErr("/a", "/a/sub/a"), Errno::kEINVAL);
  EXPECT_EQ(RenameErr("/a/sub", "/b"), Errno::kENOTEMPTY);
  EXPECT_EQ(RenameErr("/a/sub", "/b/y"), Errno::kENOTDIR);
  EXPECT_EQ(RenameErr("/b/y", "/a/sub"), Errno::kEISDIR);
  EXPECT_EQ(RenameErr("/a/.", "/b/q"), Errno::kEBUSY);
  u32 a_links = Nlink("/a"), b_links = Nlink("/b");
  EXPECT_EQ(RenameErr("/a/sub", "/b/sub"), Errno{});
  EXPECT_EQ(Nlink("/a"), a_links - 1);
  EXPECT_EQ(Nlink("/b"), b_links + 1);
  EXPECT_EQ(Lookup("/b/sub/..").value().inode(), Lookup("/b").value().inode());
  // Renaming a link onto another link to the same file does nothing.
  ASSERT_TRUE(Link(actor_, kAtFdCwd, "/b/y", kAtFdCwd, "/b/y2", 0).ok());
  EXPECT_EQ(RenameErr("/b/y", "/b/y2"), Errno{});
  EXPECT_TRUE(Lookup("/b/y").ok());
}

TEST_F(NameiTest, StickyDirectoriesProtectOthersFiles) {
  Mkdir("/tmp", 01777);
  ASSERT_TRUE(ChangeMode(actor_, Lookup("/tmp").value(), 01777).ok());  // past the umask
  Actor alice = actor_, bob = actor_;
  alice.cred = Credentials::User(1001, 1001);
  bob.cred = Credentials::User(1002, 1002);
  ASSERT_TRUE(Open(alice, kAtFdCwd, "/tmp/a", o::kWrOnly | o::kCreat, 0666).ok());
  EXPECT_EQ(Unlink(bob, kAtFdCwd, "/tmp/a", 0).error(), Errno::kEPERM);
  EXPECT_EQ(Rename(bob, kAtFdCwd, "/tmp/a", kAtFdCwd, "/tmp/b", 0).error(), Errno::kEPERM);
  EXPECT_TRUE(Unlink(alice, kAtFdCwd, "/tmp/a", 0).ok());
  // Without write permission on the directory nobody but root creates or removes.
  Mkdir("/ro", 0755);
  EXPECT_EQ(Open(alice, kAtFdCwd, "/ro/x", o::kWrOnly | o::kCreat, 0666).error(), Errno::kEACCES);
  EXPECT_EQ(MakeDirectory(alice, kAtFdCwd, "/ro/x", 0755).error(), Errno::kEACCES);
}

TEST_F(NameiTest, MknodTypesAndPrivilege) {
  ASSERT_TRUE(MakeNode(actor_, kAtFdCwd, "/fifo", mode::kFifo | 0644, 0).ok());
  EXPECT_TRUE(IsFifo(Mode("/fifo")));
  ASSERT_TRUE(MakeNode(actor_, kAtFdCwd, "/null", mode::kChar | 0666, MakeDev(1, 3)).ok());
  EXPECT_EQ(Lookup("/null").value().inode()->rdev(), MakeDev(1, 3));
  ASSERT_TRUE(MakeNode(actor_, kAtFdCwd, "/plain", 0644, 0).ok());
  EXPECT_TRUE(IsReg(Mode("/plain")));
  EXPECT_EQ(MakeNode(actor_, kAtFdCwd, "/dir", mode::kDirectory | 0755, 0).error(), Errno::kEPERM);
  EXPECT_EQ(MakeNode(actor_, kAtFdCwd, "/bad", 0170000 | 0644, 0).error(), Errno::kEINVAL);
  EXPECT_EQ(MakeNode(actor_, kAtFdCwd, "/fifo", mode::kFifo | 0644, 0).error(), Errno::kEEXIST);
  EXPECT_EQ(MakeNode(actor_, kAtFdCwd, "/new/", mode::kFifo | 0644, 0).error(), Errno::kENOENT);
  Actor user = actor_;
  user.cred = Credentials::User(1, 1);
  ASSERT_TRUE(ChangeMode(actor_, ctx_->root(), 01777).ok());
  EXPECT_EQ(MakeNode(user, kAtFdCwd, "/dev0", mode::kChar | 0666, MakeDev(1, 3)).error(),
            Errno::kEPERM);
  EXPECT_TRUE(MakeNode(user, kAtFdCwd, "/ufifo", mode::kFifo | 0666, 0).ok());
  // /dev/null semantics through the device registry.
  lib::RefPtr<File> null = OpenPath("/null", o::kRdWr).value();
  EXPECT_EQ(Write(*null, "gone").value(), 4u);
  EXPECT_EQ(Read(*null).value(), "");
}

TEST_F(NameiTest, SymlinkAndReadlink) {
  ASSERT_TRUE(fs::Symlink(actor_, "some/where", kAtFdCwd, "/l").ok());
  char buf[64];
  EXPECT_EQ(ReadLink(actor_, kAtFdCwd, "/l", buf, sizeof(buf)).value(), 10u);
  EXPECT_EQ(std::string(buf, 10), "some/where");
  EXPECT_EQ(ReadLink(actor_, kAtFdCwd, "/l", buf, 4).value(), 4u);  // truncated, no NUL
  EXPECT_EQ(ReadLink(actor_, kAtFdCwd, "/", buf, sizeof(buf)).error(), Errno::kEINVAL);
  EXPECT_EQ(ReadLink(actor_, kAtFdCwd, "/l", buf, 0).error(), Errno::kEINVAL);
  EXPECT_EQ(fs::Symlink(actor_, "", kAtFdCwd, "/e").error(), Errno::kENOENT);
  EXPECT_EQ(fs::Symlink(actor_, "x", kAtFdCwd, "/l").error(), Errno::kEEXIST);
  EXPECT_EQ(Lookup("/l", false).value().inode()->size(), 10u);
}

TEST_F(NameiTest, TmpFileThenLinkat) {
  Mkdir("/t");
  lib::RefPtr<File> f = OpenPath("/t", o::kRdWr | o::kTmpFile, 0600).value();
  EXPECT_EQ(f->inode()->nlink(), 0u);
  EXPECT_EQ(List("/t").size(), 2u);  // nameless
  ASSERT_TRUE(Write(*f, "anon").ok());
  int fd = fds_->Install(f, 0).value();
  ASSERT_TRUE(Link(actor_, fd, "", kAtFdCwd, "/t/named", at::kEmptyPath).ok());
  EXPECT_EQ(ReadFile("/t/named").value(), "anon");
  EXPECT_EQ(OpenErr("/t", o::kRdOnly | o::kTmpFile), Errno::kEINVAL);
  EXPECT_EQ(OpenErr("/t", o::kRdWr | o::kTmpFile | o::kCreat), Errno::kEINVAL);
  // O_EXCL forbids linking it later.
  lib::RefPtr<File> g = OpenPath("/t", o::kRdWr | o::kTmpFile | o::kExcl, 0600).value();
  int gfd = fds_->Install(g, 0).value();
  EXPECT_EQ(Link(actor_, gfd, "", kAtFdCwd, "/t/never", at::kEmptyPath).error(), Errno::kENOENT);
}

}  // namespace
}  // namespace kernel::fs
