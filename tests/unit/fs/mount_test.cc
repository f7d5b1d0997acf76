// Mounts: crossing down and up, stacking, busy and lazy unmounts, bind mounts, MS_MOVE,
// remount read-only, chroot, chdir/getcwd, pivot_root, and the namespace shared by a forked
// FsContext.
#include "kernel/fs/attr.h"
#include "kernel/fs/mount_ops.h"
#include "kernel/fs/namei.h"
#include "kernel/fs/open.h"
#include "kernel/fs/path_walk.h"
#include "kernel/mm/heap.h"
#include "tests/support/fs_test_support.h"
#include "tests/unit/lib/test_support.h"

namespace kernel::fs {
namespace {

using testing::FsTest;

class MountTest : public FsTest {
 protected:
  void SetUp() override {
    FsTest::SetUp();
    for (const char* d : {"/mnt", "/mnt/a", "/other", "/put"}) {
      ASSERT_TRUE(MakeDirectory(actor_, kAtFdCwd, d, 0755).ok());
    }
    ASSERT_TRUE(WriteFile("/mnt/under", "hidden").ok());
  }
  Result<void> MountTmpfs(const char* where, u64 flags = 0, const char* data = "") {
    return MountByPath(actor_, "tmpfs", where, "tmpfs", flags, data);
  }
  std::string Cwd() {
    char buf[256];
    Result<usize> n = GetCwd(actor_, buf, sizeof(buf));
    if (n.is_error()) return "<errno " + std::to_string(ToInt(n.error())) + ">";
    return std::string(buf, n.value() - 1);
  }
};

TEST_F(MountTest, MountHidesAndUnmountReveals) {
  ASSERT_TRUE(MountTmpfs("/mnt").ok());
  EXPECT_EQ(LookupErr("/mnt/under"), Errno::kENOENT);
  ASSERT_TRUE(WriteFile("/mnt/new", "on top").ok());
  Path p = Lookup("/mnt/new").value();
  EXPECT_NE(p.mnt, ctx_->root().mnt);
  // ".." at the mounted root goes to the parent of the mount point.
  EXPECT_EQ(Lookup("/mnt/..").value().dentry, ctx_->root().dentry);
  p = Path{};
  ASSERT_TRUE(UnmountByPath(actor_, "/mnt", 0).ok());
  EXPECT_EQ(ReadFile("/mnt/under").value(), "hidden");
  EXPECT_EQ(LookupErr("/mnt/new"), Errno::kENOENT);
  EXPECT_EQ(UnmountByPath(actor_, "/mnt", 0).error(), Errno::kEINVAL);  // not a mount
  EXPECT_EQ(UnmountByPath(actor_, "/", 0).error(), Errno::kEBUSY);
  EXPECT_EQ(UnmountByPath(actor_, "/mnt", 0x80).error(), Errno::kEINVAL);
}

TEST_F(MountTest, StackedMountsAndBusyUnmount) {
  ASSERT_TRUE(MountTmpfs("/mnt").ok());
  ASSERT_TRUE(WriteFile("/mnt/first", "1").ok());
  ASSERT_TRUE(MountTmpfs("/mnt").ok());
  EXPECT_EQ(LookupErr("/mnt/first"), Errno::kENOENT);  // the top one wins
  lib::RefPtr<File> open = OpenPath("/mnt/x", o::kWrOnly | o::kCreat).value();
  EXPECT_EQ(UnmountByPath(actor_, "/mnt", 0).error(), Errno::kEBUSY);
  // A lazy unmount detaches now; the open file keeps working.
  ASSERT_TRUE(UnmountByPath(actor_, "/mnt", kMntDetach).ok());
  EXPECT_EQ(ReadFile("/mnt/first").value(), "1");
  EXPECT_EQ(Write(*open, "still").value(), 5u);
  open = nullptr;
  ASSERT_TRUE(UnmountByPath(actor_, "/mnt", 0).ok());
}

TEST_F(MountTest, CwdOnAMountMakesItBusy) {
  ASSERT_TRUE(MountTmpfs("/mnt").ok());
  ASSERT_TRUE(MakeDirectory(actor_, kAtFdCwd, "/mnt/d", 0755).ok());
  ASSERT_TRUE(ChangeDirectory(actor_, "/mnt/d").ok());
  EXPECT_EQ(Cwd(), "/mnt/d");
  EXPECT_EQ(UnmountByPath(actor_, "/mnt", 0).error(), Errno::kEBUSY);
  ASSERT_TRUE(ChangeDirectory(actor_, "/").ok());
  EXPECT_TRUE(UnmountByPath(actor_, "/mnt", 0).ok());
}

TEST_F(MountTest, BindMountsAndMove) {
  ASSERT_TRUE(WriteFile("/mnt/a/file", "bound").ok());
  ASSERT_TRUE(MountByPath(actor_, "/mnt/a", "/other", "", ms::kBind, "").ok());
  EXPECT_EQ(ReadFile("/other/file").value(), "bound");
  ASSERT_TRUE(WriteFile("/other/back", "both ways").ok());
  EXPECT_EQ(ReadFile("/mnt/a/back").value(), "both ways");
  // MS_MOVE carries the mount elsewhere.
  ASSERT_TRUE(MountByPath(actor_, "/other", "/put", "", ms::kMove, "").ok());
  EXPECT_EQ(ReadFile("/put/file").value(), "bound");
  EXPECT_EQ(LookupErr("/other/file"), Errno::kENOENT);
  EXPECT_EQ(MountByPath(actor_, "/mnt", "/put", "", ms::kMove, "").error(), Errno::kEINVAL);
  // Propagation flags are accepted.
  EXPECT_TRUE(MountByPath(actor_, "", "/put", "", ms::kPrivate | ms::kRec, "").ok());
  EXPECT_EQ(MountByPath(actor_, "x", "/mnt", "nosuchfs", 0, "").error(), Errno::kENODEV);
  ASSERT_TRUE(WriteFile("/plain", "").ok());
  EXPECT_EQ(MountByPath(actor_, "t", "/plain", "tmpfs", 0, "").error(), Errno::kENOTDIR);
  Actor user = actor_;
  user.cred = Credentials::User(1, 1);
  EXPECT_EQ(MountByPath(user, "t", "/mnt", "tmpfs", 0, "").error(), Errno::kEPERM);
}

TEST_F(MountTest, RemountReadOnly) {
  ASSERT_TRUE(MountTmpfs("/mnt").ok());
  ASSERT_TRUE(WriteFile("/mnt/f", "x").ok());
  ASSERT_TRUE(MountByPath(actor_, "", "/mnt", "", ms::kRemount | ms::kRdOnly, "").ok());
  EXPECT_EQ(OpenErr("/mnt/f", o::kWrOnly), Errno::kEROFS);
  EXPECT_EQ(OpenErr("/mnt/g", o::kWrOnly | o::kCreat), Errno::kEROFS);
  EXPECT_EQ(MakeDirectory(actor_, kAtFdCwd, "/mnt/d", 0755).error(), Errno::kEROFS);
  EXPECT_EQ(ChangeMode(actor_, Lookup("/mnt/f").value(), 0600).error(), Errno::kEROFS);
  EXPECT_EQ(ReadFile("/mnt/f").value(), "x");
  StatFs sf;
  FillStatFs(Lookup("/mnt").value(), sf);
  EXPECT_TRUE(sf.flags & st::kRdOnly);
  ASSERT_TRUE(MountByPath(actor_, "", "/mnt", "", ms::kRemount, "").ok());
  EXPECT_TRUE(WriteFile("/mnt/g", "y").ok());
  EXPECT_EQ(MountByPath(actor_, "", "/mnt/g", "", ms::kRemount, "").error(), Errno::kEINVAL);
}

TEST_F(MountTest, ChrootConfinesDotDot) {
  ASSERT_TRUE(WriteFile("/mnt/a/inside", "in").ok());
  ASSERT_TRUE(ChangeRoot(actor_, "/mnt/a").ok());
  EXPECT_EQ(ReadFile("/inside").value(), "in");
  EXPECT_EQ(ReadFile("/../../inside").value(), "in");
  EXPECT_EQ(LookupErr("/other"), Errno::kENOENT);
  // The cwd stayed outside the new root: getcwd says so.
  EXPECT_EQ(Cwd(), "(unreachable)/");
  ASSERT_TRUE(ChangeDirectory(actor_, "/").ok());
  EXPECT_EQ(Cwd(), "/");
  Actor user = actor_;
  user.cred = Credentials::User(1, 1);
  EXPECT_EQ(ChangeRoot(user, "/").error(), Errno::kEPERM);
}

TEST_F(MountTest, ChdirGetcwdErrors) {
  EXPECT_EQ(ChangeDirectory(actor_, "/mnt/under").error(), Errno::kENOTDIR);
  EXPECT_EQ(ChangeDirectory(actor_, "/nope").error(), Errno::kENOENT);
  ASSERT_TRUE(ChangeDirectory(actor_, "/mnt/a").ok());
  EXPECT_EQ(Cwd(), "/mnt/a");
  char small[4];
  EXPECT_EQ(GetCwd(actor_, small, sizeof(small)).error(), Errno::kERANGE);
  ASSERT_TRUE(Unlink(actor_, kAtFdCwd, "/mnt/a", at::kRemoveDir).ok());
  EXPECT_EQ(Cwd(), "<errno 2>");  // ENOENT once the cwd is removed
  // Relative paths start at the cwd; fchdir through a directory file.
  lib::RefPtr<File> dir = OpenPath("/other", o::kRdOnly | o::kDirectory).value();
  ASSERT_TRUE(ChangeDirectoryTo(actor_, *dir).ok());
  ASSERT_TRUE(WriteFile("rel", "r").ok());
  EXPECT_EQ(ReadFile("/other/rel").value(), "r");
  lib::RefPtr<File> file = OpenPath("/other/rel", o::kRdOnly).value();
  EXPECT_EQ(ChangeDirectoryTo(actor_, *file).error(), Errno::kENOTDIR);
}

TEST_F(MountTest, PivotRoot) {
  ASSERT_TRUE(MountTmpfs("/mnt").ok());
  ASSERT_TRUE(MakeDirectory(actor_, kAtFdCwd, "/mnt/old", 0755).ok());
  ASSERT_TRUE(WriteFile("/mnt/newroot-file", "new").ok());
  // On the root's own mount: EBUSY comes before "not a mount point" [linux pivot_root].
  EXPECT_EQ(PivotRoot(actor_, "/other", "/other").error(), Errno::kEBUSY);
  EXPECT_EQ(PivotRoot(actor_, "/mnt", "/put").error(), Errno::kEBUSY);  // put_old on root's
  ASSERT_TRUE(MakeDirectory(actor_, kAtFdCwd, "/mnt/sub", 0755).ok());
  EXPECT_EQ(PivotRoot(actor_, "/mnt/sub", "/mnt/sub").error(), Errno::kEINVAL);  // not a mount
  EXPECT_EQ(PivotRoot(actor_, "/mnt", "/mnt/missing").error(), Errno::kENOENT);
  ASSERT_TRUE(PivotRoot(actor_, "/mnt", "/mnt/old").ok());
  EXPECT_EQ(ReadFile("/newroot-file").value(), "new");
  EXPECT_EQ(ReadFile("/old/mnt/a/../under").value(), "hidden");  // the old root, under /old
  EXPECT_EQ(Cwd(), "/");
  ASSERT_TRUE(UnmountByPath(actor_, "/old", kMntDetach).ok());
  EXPECT_EQ(LookupErr("/old/mnt"), Errno::kENOENT);
}

// A root that is a mount with a parent (a chroot into a mounted tmpfs, as containers do):
// new_root takes that mount's place, the old root goes to put_old.
TEST_F(MountTest, PivotRootBelowTheNamespaceRoot) {
  ASSERT_TRUE(MountTmpfs("/mnt").ok());
  ASSERT_TRUE(WriteFile("/mnt/jail-file", "jail").ok());
  ASSERT_TRUE(MakeDirectory(actor_, kAtFdCwd, "/mnt/new", 0755).ok());
  ASSERT_TRUE(ChangeRoot(actor_, "/mnt").ok());
  ASSERT_TRUE(ChangeDirectory(actor_, "/").ok());
  ASSERT_TRUE(MountTmpfs("/new").ok());
  ASSERT_TRUE(MakeDirectory(actor_, kAtFdCwd, "/new/old", 0755).ok());
  ASSERT_TRUE(WriteFile("/new/hello", "new root").ok());
  ASSERT_TRUE(PivotRoot(actor_, "/new", "/new/old").ok());
  EXPECT_EQ(ReadFile("/hello").value(), "new root");
  EXPECT_EQ(ReadFile("/old/jail-file").value(), "jail");
  EXPECT_EQ(Cwd(), "/");
  ASSERT_TRUE(UnmountByPath(actor_, "/old", 0).ok());
  EXPECT_EQ(LookupErr("/old/jail-file"), Errno::kENOENT);
  // The new root sits where the old one was: on the namespace root's /mnt.
  const Mount& top = ctx_->ns().root();
  int on_top = 0;
  top.ForEachChild([&](Mount& m) { on_top += m.root() == ctx_->root().dentry; });
  EXPECT_EQ(on_top, 1);
}

TEST_F(MountTest, UnmountExpireMarksFirst) {
  ASSERT_TRUE(MountTmpfs("/mnt").ok());
  EXPECT_EQ(UnmountByPath(actor_, "/mnt", kMntExpire | kMntDetach).error(), Errno::kEINVAL);
  EXPECT_EQ(UnmountByPath(actor_, "/mnt", kMntExpire).error(), Errno::kEAGAIN);
  {
    lib::RefPtr<File> open = OpenPath("/mnt/x", o::kWrOnly | o::kCreat).value();
    EXPECT_EQ(UnmountByPath(actor_, "/mnt", kMntExpire).error(), Errno::kEBUSY);
  }
  ASSERT_TRUE(UnmountByPath(actor_, "/mnt", kMntExpire).ok());
  EXPECT_EQ(ReadFile("/mnt/under").value(), "hidden");
}

TEST_F(MountTest, ForkedContextSharesTheNamespace) {
  lib::RefPtr<FsContext> child = ctx_->Clone().value();
  EXPECT_EQ(&child->ns(), &ctx_->ns());
  Actor child_actor{nullptr, child.get(), nullptr, Credentials::Root()};
  ASSERT_TRUE(MountByPath(child_actor, "t", "/mnt", "tmpfs", 0, "").ok());
  ASSERT_TRUE(WriteFile("/mnt/seen", "by both").ok());  // the parent sees the child's mount
  // ...but cwd and umask are the child's own.
  ASSERT_TRUE(ChangeDirectory(child_actor, "/mnt").ok());
  EXPECT_EQ(Cwd(), "/");
  child->SetUmask(077);
  EXPECT_EQ(ctx_->umask(), 022u);
}

TEST_F(MountTest, UnsharedNamespaceIsACopy) {
  ASSERT_TRUE(MountTmpfs("/mnt").ok());
  ASSERT_TRUE(WriteFile("/mnt/first", "1").ok());
  ASSERT_TRUE(MountTmpfs("/mnt").ok());  // stacked: the copy must keep this one on top
  ASSERT_TRUE(WriteFile("/mnt/second", "2").ok());
  ASSERT_TRUE(MountTmpfs("/other").ok());
  ASSERT_TRUE(ChangeDirectory(actor_, "/other").ok());
  lib::RefPtr<FsContext> child = ctx_->Clone().value();
  ASSERT_TRUE(child->UnshareNamespace().ok());
  EXPECT_NE(&child->ns(), &ctx_->ns());
  EXPECT_EQ(child->ns().count(), ctx_->ns().count());
  // Listed (/proc/mounts) in the same order: the same mount points, the same file systems.
  std::vector<std::pair<const Dentry*, const SuperBlock*>> parent_list, child_list;
  ctx_->ns().ForEach([&](Mount& m) { parent_list.emplace_back(m.mountpoint().get(), &m.sb()); });
  child->ns().ForEach([&](Mount& m) { child_list.emplace_back(m.mountpoint().get(), &m.sb()); });
  EXPECT_EQ(child_list, parent_list);
  // The cwd moved to the copy of its mount: same directory, mount of the new namespace.
  EXPECT_EQ(child->cwd().dentry, ctx_->cwd().dentry);
  EXPECT_NE(child->cwd().mnt, ctx_->cwd().mnt);
  EXPECT_EQ(child->cwd().mnt->ns(), &child->ns());
  EXPECT_EQ(child->root().mnt.get(), &child->ns().root());
  Actor child_actor{nullptr, child.get(), nullptr, Credentials::Root()};
  // The same files through the copies, the top mount of /mnt still on top.
  EXPECT_TRUE(ResolvePath(child_actor, kAtFdCwd, "/mnt/second", 0).ok());
  EXPECT_EQ(ResolvePath(child_actor, kAtFdCwd, "/mnt/first", 0).error(), Errno::kENOENT);
  // Unmounting in one namespace leaves the other alone.
  ASSERT_TRUE(UnmountByPath(child_actor, "/mnt", 0).ok());
  EXPECT_TRUE(ResolvePath(child_actor, kAtFdCwd, "/mnt/first", 0).ok());
  EXPECT_TRUE(Lookup("/mnt/second").ok());
  usize parent_mounts = ctx_->ns().count();
  ASSERT_TRUE(MountByPath(child_actor, "t", "/put", "tmpfs", 0, "").ok());
  EXPECT_EQ(ctx_->ns().count(), parent_mounts);
  EXPECT_EQ(LookupErr("/put/x"), Errno::kENOENT);
}

TEST_F(MountTest, UnshareUnderExhaustionChangesNothingAndLeaksNothing) {
  ASSERT_TRUE(MountTmpfs("/mnt").ok());
  ASSERT_TRUE(MountTmpfs("/other").ok());
  lib::RefPtr<FsContext> child = ctx_->Clone().value();
  const MountNamespace* ns = &child->ns();
  const Path cwd = child->cwd();
  usize live = mm::heap::GetStats().allocations;
  bool succeeded = false;
  for (usize budget = 0; budget < 200 && !succeeded; ++budget) {
    Result<void> r = Ok();
    {
      lib::testing::ScopedHeapFailure fail(budget);
      r = child->UnshareNamespace();
    }
    if (r.ok()) {
      succeeded = true;
      break;
    }
    EXPECT_EQ(r.error(), Errno::kENOMEM) << "budget " << budget;
    EXPECT_EQ(&child->ns(), ns) << "budget " << budget;
    EXPECT_TRUE(child->cwd() == cwd) << "budget " << budget;
    EXPECT_EQ(mm::heap::GetStats().allocations, live) << "budget " << budget;
  }
  EXPECT_TRUE(succeeded);
  EXPECT_EQ(child->ns().count(), 3u);
}

}  // namespace
}  // namespace kernel::fs
