// Path resolution: components, "." and "..", symlinks and ELOOP, trailing slashes, name
// limits, permissions on every component, and the dentry cache.
#include "kernel/fs/path_walk.h"

#include "kernel/fs/namei.h"
#include "kernel/fs/open.h"
#include "tests/support/fs_test_support.h"

namespace kernel::fs {
namespace {

using testing::FsTest;

class PathWalkTest : public FsTest {
 protected:
  void Mkdir(const std::string& p, u32 mode = 0755) {
    ASSERT_TRUE(MakeDirectory(actor_, kAtFdCwd, p, mode).ok()) << p;
  }
  void Symlink(const std::string& target, const std::string& p) {
    ASSERT_TRUE(fs::Symlink(actor_, target, kAtFdCwd, p).ok()) << p;
  }
  std::string PathOf(const std::string& p) {
    Result<Path> r = Lookup(p);
    if (r.is_error()) return "<errno " + std::to_string(ToInt(r.error())) + ">";
    lib::String s = PathToString(r.value(), ctx_->root()).release_value();
    return std::string(s.c_str());
  }
};

TEST_F(PathWalkTest, DotsAndRepeatedSlashes) {
  Mkdir("/a");
  Mkdir("/a/b");
  ASSERT_TRUE(WriteFile("/a/b/f", "x").ok());
  EXPECT_EQ(PathOf("/a/b/f"), "/a/b/f");
  EXPECT_EQ(PathOf("//a///b//f"), "/a/b/f");
  EXPECT_EQ(PathOf("/a/./b/../b/f"), "/a/b/f");
  EXPECT_EQ(PathOf("/../../a"), "/a");  // ".." at the root stays there
  EXPECT_EQ(PathOf("/a/b/.."), "/a");
  EXPECT_EQ(PathOf("/"), "/");
  EXPECT_EQ(PathOf("."), "/");
}

TEST_F(PathWalkTest, MissingAndNotDirectory) {
  Mkdir("/d");
  ASSERT_TRUE(WriteFile("/d/file", "x").ok());
  EXPECT_EQ(LookupErr("/d/missing"), Errno::kENOENT);
  EXPECT_EQ(LookupErr("/d/missing/x"), Errno::kENOENT);
  EXPECT_EQ(LookupErr("/d/file/x"), Errno::kENOTDIR);
  EXPECT_EQ(LookupErr("/d/file/"), Errno::kENOTDIR);
  EXPECT_EQ(LookupErr("/d/file/."), Errno::kENOTDIR);
  EXPECT_EQ(LookupErr(""), Errno::kENOENT);
  EXPECT_TRUE(Lookup("/d/").ok());
}

TEST_F(PathWalkTest, NameAndPathLimits) {
  Mkdir("/d");
  std::string ok(255, 'n');
  std::string too_long(256, 'n');
  EXPECT_TRUE(WriteFile("/d/" + ok, "x").ok());
  EXPECT_EQ(OpenErr("/d/" + too_long, o::kWrOnly | o::kCreat), Errno::kENAMETOOLONG);
  EXPECT_EQ(LookupErr("/d/" + too_long), Errno::kENAMETOOLONG);
  std::string path = "/";
  while (path.size() < kPathMax) path += "a/";
  EXPECT_EQ(LookupErr(path), Errno::kENAMETOOLONG);
}

TEST_F(PathWalkTest, SymlinksRelativeAbsoluteAndChained) {
  Mkdir("/dir");
  ASSERT_TRUE(WriteFile("/dir/target", "data").ok());
  Symlink("target", "/dir/rel");
  Symlink("/dir/target", "/abs");
  Symlink("rel", "/dir/chain");
  Symlink("dir", "/dirlink");
  EXPECT_EQ(ReadFile("/dir/rel").value(), "data");
  EXPECT_EQ(ReadFile("/abs").value(), "data");
  EXPECT_EQ(ReadFile("/dir/chain").value(), "data");
  EXPECT_EQ(ReadFile("/dirlink/target").value(), "data");
  EXPECT_EQ(PathOf("/dirlink/../abs"), "/dir/target");  // ".." after a symlink is physical
  // Without following, the link itself.
  Result<Path> link = Lookup("/abs", false);
  ASSERT_TRUE(link.ok());
  EXPECT_TRUE(link.value().inode()->is_symlink());
  // A trailing slash follows a link to a directory, and insists on one.
  EXPECT_TRUE(Lookup("/dirlink/", false).value().inode()->is_dir());
  EXPECT_EQ(LookupErr("/abs/", false), Errno::kENOTDIR);
}

TEST_F(PathWalkTest, SymlinkLoopsAndTheFortyLinkLimit) {
  Symlink("loop2", "/loop1");
  Symlink("loop1", "/loop2");
  EXPECT_EQ(LookupErr("/loop1"), Errno::kELOOP);
  EXPECT_EQ(LookupErr("/loop1/x"), Errno::kELOOP);
  Symlink("self", "/self");
  EXPECT_EQ(OpenErr("/self", o::kRdOnly), Errno::kELOOP);
  // A chain of exactly 40 links resolves; 41 do not [fs/namei.c MAXSYMLINKS].
  ASSERT_TRUE(WriteFile("/end", "ok").ok());
  Symlink("/end", "/l0");
  for (int i = 1; i <= 40; ++i) Symlink("/l" + std::to_string(i - 1), "/l" + std::to_string(i));
  EXPECT_EQ(ReadFile("/l39").value(), "ok");    // 40 links
  EXPECT_EQ(LookupErr("/l40"), Errno::kELOOP);  // 41 links
}

TEST_F(PathWalkTest, EmptySymlinkIsENOENT) {
  // symlink(2) refuses "" so make one through the inode directly.
  ASSERT_TRUE(ctx_->root().inode()->Symlink("empty", "", 0, 0).ok());
  EXPECT_EQ(LookupErr("/empty"), Errno::kENOENT);
}

TEST_F(PathWalkTest, SearchPermissionOnEveryComponent) {
  Mkdir("/pub", 0755);
  Mkdir("/pub/secret", 0700);
  ASSERT_TRUE(WriteFile("/pub/secret/f", "x").ok());
  ASSERT_TRUE(WriteFile("/pub/f", "y", 0600).ok());
  Actor user = actor_;
  user.cred = Credentials::User(1000, 1000);
  auto lookup_as = [&](const Actor& a, const char* p) {
    Result<Path> r = ResolvePath(a, kAtFdCwd, p, walk::kFollow);
    return r.ok() ? Errno{} : r.error();
  };
  EXPECT_EQ(lookup_as(user, "/pub/secret/f"), Errno::kEACCES);
  EXPECT_EQ(lookup_as(user, "/pub/secret/../f"), Errno::kEACCES);
  EXPECT_EQ(lookup_as(user, "/pub/f"), Errno{});
  EXPECT_EQ(Open(user, kAtFdCwd, "/pub/f", o::kRdOnly, 0).error(), Errno::kEACCES);
  // Root searches and reads anything.
  EXPECT_EQ(lookup_as(actor_, "/pub/secret/f"), Errno{});
  EXPECT_TRUE(Open(actor_, kAtFdCwd, "/pub/f", o::kRdOnly, 0).ok());
  // A group member gets the group bits.
  Mkdir("/grp", 0750);
  ASSERT_TRUE(ctx_->root()
                  .inode()
                  ->Lookup("grp")
                  .value()
                  ->SetAttr(AttrChange{AttrChange::kGid, 0, 0, 50})
                  .ok());
  static const u32 kGroups[] = {50};
  Actor member = actor_;
  member.cred = Credentials::User(1000, 1000, kGroups);
  EXPECT_EQ(lookup_as(member, "/grp/."), Errno{});
  EXPECT_EQ(lookup_as(user, "/grp/."), Errno::kEACCES);
}

TEST_F(PathWalkTest, RootNeedsAnExecuteBitToExecute) {
  ASSERT_TRUE(WriteFile("/noexec", "x", 0644).ok());
  ASSERT_TRUE(WriteFile("/exec", "x", 0700).ok());
  Mkdir("/dir");
  EXPECT_EQ(OpenExec(actor_, kAtFdCwd, "/noexec", 0).error(), Errno::kEACCES);
  EXPECT_TRUE(OpenExec(actor_, kAtFdCwd, "/exec", 0).ok());
  EXPECT_EQ(OpenExec(actor_, kAtFdCwd, "/dir", 0).error(), Errno::kEACCES);
  EXPECT_EQ(OpenExec(actor_, kAtFdCwd, "/missing", 0).error(), Errno::kENOENT);
  EXPECT_EQ(OpenExec(actor_, kAtFdCwd, "/exec/x", 0).error(), Errno::kENOTDIR);
  Symlink("exec", "/link");
  EXPECT_TRUE(OpenExec(actor_, kAtFdCwd, "/link", 0).ok());
  EXPECT_EQ(OpenExec(actor_, kAtFdCwd, "/link", at::kSymlinkNoFollow).error(), Errno::kELOOP);
  Actor user = actor_;
  user.cred = Credentials::User(1000, 1000);
  EXPECT_EQ(OpenExec(user, kAtFdCwd, "/exec", 0).error(), Errno::kEACCES);
  // The execve file reads its headers with ReadAt.
  lib::RefPtr<File> f = OpenExec(actor_, kAtFdCwd, "/exec", 0).value();
  char c = 0;
  EXPECT_EQ(f->ReadAt(&c, 1, 0).value(), 1u);
  EXPECT_EQ(c, 'x');
}

TEST_F(PathWalkTest, NegativeDentriesAreCachedAndReplacedOnCreate) {
  EXPECT_EQ(LookupErr("/later"), Errno::kENOENT);
  lib::RefPtr<Dentry> neg = ctx_->root().dentry->FindCached("later");
  ASSERT_TRUE(neg);
  EXPECT_TRUE(neg->negative());
  neg = nullptr;
  ASSERT_TRUE(WriteFile("/later", "now").ok());
  EXPECT_EQ(ReadFile("/later").value(), "now");
  lib::RefPtr<Dentry> pos = ctx_->root().dentry->FindCached("later");
  ASSERT_TRUE(pos);
  EXPECT_FALSE(pos->negative());
}

TEST_F(PathWalkTest, DirfdRelativeWalks) {
  Mkdir("/base");
  ASSERT_TRUE(WriteFile("/base/f", "rel").ok());
  lib::RefPtr<File> dir = OpenPath("/base", o::kRdOnly | o::kDirectory).value();
  int dirfd = fds_->Install(dir, 0).value();
  EXPECT_EQ(ResolvePath(actor_, dirfd, "f", walk::kFollow).value().inode()->size(), 3u);
  // An absolute path ignores the dirfd; a file dirfd is ENOTDIR for relative paths.
  EXPECT_TRUE(ResolvePath(actor_, dirfd, "/base/f", walk::kFollow).ok());
  int filefd = fds_->Install(OpenPath("/base/f", o::kRdOnly).value(), 0).value();
  EXPECT_EQ(ResolvePath(actor_, filefd, "x", walk::kFollow).error(), Errno::kENOTDIR);
  // AT_EMPTY_PATH names the dirfd's file itself.
  EXPECT_EQ(ResolvePath(actor_, filefd, "", walk::kEmptyPath).value().inode()->size(), 3u);
  EXPECT_EQ(ResolvePath(actor_, filefd, "", 0).error(), Errno::kENOENT);
  EXPECT_EQ(ResolvePath(actor_, 77, "x", 0).error(), Errno::kEBADF);
}

TEST_F(PathWalkTest, Openat2ResolveFlags) {
  Mkdir("/jail");
  Mkdir("/jail/in");
  ASSERT_TRUE(WriteFile("/outside", "o").ok());
  Symlink("/outside", "/jail/abs");
  Symlink("../outside", "/jail/up");
  int jail = fds_->Install(OpenPath("/jail", o::kRdOnly | o::kDirectory).value(), 0).value();
  EXPECT_EQ(Open(actor_, jail, "up", o::kRdOnly, 0, resolve::kBeneath).error(), Errno::kEXDEV);
  EXPECT_EQ(Open(actor_, jail, "abs", o::kRdOnly, 0, resolve::kBeneath).error(), Errno::kEXDEV);
  EXPECT_EQ(Open(actor_, jail, "abs", o::kRdOnly, 0, resolve::kNoSymlinks).error(), Errno::kELOOP);
  // IN_ROOT: the jail is "/" for the walk, so /outside does not exist there.
  EXPECT_EQ(Open(actor_, jail, "abs", o::kRdOnly, 0, resolve::kInRoot).error(), Errno::kENOENT);
  EXPECT_TRUE(Open(actor_, jail, "in/..", o::kRdOnly, 0, resolve::kBeneath).ok());
}

}  // namespace
}  // namespace kernel::fs
