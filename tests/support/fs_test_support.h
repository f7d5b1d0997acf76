// Test support for the file-system unit tests (kernel/fs/*_test.cc): a fixture with a fresh
// tmpfs root, an fd table, a kernel task that is the scheduler's current task (so blocking
// calls can sleep and other tasks can run), and a leak check at the end: the heap's live
// allocations and the page allocator's free pages must return to where they started.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <hal/interrupts.h>

#include "kernel/fs/actor.h"
#include "kernel/fs/dentry.h"
#include "kernel/fs/fd_table.h"
#include "kernel/fs/fs_context.h"
#include "kernel/fs/io_buffer.h"
#include "kernel/fs/mount_ops.h"
#include "kernel/fs/open.h"
#include "kernel/fs/path_walk.h"
#include "kernel/fs/tmpfs/tmpfs.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/proc/scheduler.h"
#include "kernel/proc/task.h"

namespace kernel::fs::testing {

class FsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dcache::Shrink();
    heap_before_ = mm::heap::GetStats().allocations;
    pages_before_ = mm::GetPhysStats().free_pages;
    task_ = proc::Task::AdoptCurrentContext("fs-test").value();
    proc::sched::Init(*task_);
    hal::Interrupts::Enable();
    // Ticks drive timers (timeouts); on hostsim idle time jumps the virtual clock to them.
    hal::Interrupts::StartTick(proc::sched::kTickHz);
    ctx_ = CreateRootContext(tmpfs::kTmpfsType).value();
    fds_ = FdTable::Create().value();
    task_->set_fs_context(ctx_);
    task_->set_fd_table(fds_);
    actor_ = Actor{task_, ctx_.get(), fds_.get(), Credentials::Root()};
  }

  void TearDown() override {
    // Let spawned tasks finish, then free them.
    for (int i = 0; i < 1000 && !AllDead(); ++i) proc::sched::Yield();
    ASSERT_TRUE(AllDead()) << "a task of this test never finished";
    for (proc::Task* t : tasks_) proc::Task::Destroy(t);
    tasks_.clear();
    task_->set_fd_table(nullptr);
    task_->set_fs_context(nullptr);
    if (fds_) fds_->CloseAll();
    fds_ = nullptr;
    ctx_ = nullptr;
    proc::Task::Destroy(task_);
    dcache::Shrink();
    if (check_leaks_) {
      EXPECT_EQ(mm::heap::GetStats().allocations, heap_before_) << "heap allocations leaked";
      EXPECT_EQ(mm::GetPhysStats().free_pages, pages_before_) << "pages leaked";
    }
  }

  bool AllDead() const {
    for (proc::Task* t : tasks_)
      if (t->state() != proc::TaskState::kDead) return false;
    return true;
  }

  // Runs fn on a new kernel task (with this test's fs context and fd table).
  proc::Task* Spawn(const char* name, std::function<void()> fn) {
    auto* holder = new std::function<void()>(std::move(fn));
    proc::Task* t = proc::Task::Create(
                        name,
                        [](void* arg) {
                          auto* f = static_cast<std::function<void()>*>(arg);
                          (*f)();
                          delete f;
                          proc::sched::ExitCurrent();
                        },
                        holder)
                        .value();
    tasks_.push_back(t);
    proc::sched::MakeRunnable(*t);
    return t;
  }

  // Yields until pred() holds (or gives up after many rounds).
  template <typename Pred>
  bool RunUntil(Pred pred) {
    for (int i = 0; i < 10000; ++i) {
      if (pred()) return true;
      proc::sched::Yield();
    }
    return pred();
  }

  // ---- shorthands ----
  Result<lib::RefPtr<File>> OpenPath(const std::string& path, u32 flags, u32 mode = 0644);
  Errno OpenErr(const std::string& path, u32 flags, u32 mode = 0644);
  Result<void> WriteFile(const std::string& path, const std::string& data, u32 mode = 0644);
  Result<std::string> ReadFile(const std::string& path);
  static Result<usize> Write(File& f, const std::string& data);
  static Result<std::string> Read(File& f, usize max = 65536);
  Result<Path> Lookup(const std::string& path, bool follow = true);
  Errno LookupErr(const std::string& path, bool follow = true);
  std::vector<std::string> List(const std::string& dir);

  proc::Task* task_ = nullptr;
  lib::RefPtr<FsContext> ctx_;
  lib::RefPtr<FdTable> fds_;
  Actor actor_;
  std::vector<proc::Task*> tasks_;
  bool check_leaks_ = true;

 private:
  usize heap_before_ = 0;
  usize pages_before_ = 0;
};

/// Builds cpio "newc" archives for initramfs tests.
class CpioWriter {
 public:
  void Add(const std::string& name, u32 mode, const std::string& data = "", u32 ino = 0,
           u32 nlink = 1, u32 rdev_major = 0, u32 rdev_minor = 0, u32 uid = 0, u32 gid = 0,
           u32 mtime = 1700000000);
  void Trailer() { Add("TRAILER!!!", 0); }
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
  u32 next_ino_ = 1000;
};

/// gzip-compresses `data` with the host's gzip(1); fails the test if it is missing.
std::string Gzip(const std::string& data, int level = 6);

// ---- implementation ----

namespace internal {

class VectorSink final : public DirSink {
 public:
  bool Emit(lib::string_view name, u64, u8, u64) override {
    names.emplace_back(name.data(), name.size());
    return true;
  }
  std::vector<std::string> names;
};

}  // namespace internal

inline Result<lib::RefPtr<File>> FsTest::OpenPath(const std::string& path, u32 flags, u32 mode) {
  return Open(actor_, kAtFdCwd, lib::string_view(path.data(), path.size()), flags, mode);
}

inline Errno FsTest::OpenErr(const std::string& path, u32 flags, u32 mode) {
  Result<lib::RefPtr<File>> r = OpenPath(path, flags, mode);
  return r.ok() ? Errno{} : r.error();
}

inline Result<usize> FsTest::Write(File& f, const std::string& data) {
  u64 pos = f.pos();
  Result<usize> r = f.Write(IoBuffer::KernelConst(data.data(), data.size()), pos);
  if (r.ok()) f.set_pos(pos);
  return r;
}

inline Result<std::string> FsTest::Read(File& f, usize max) {
  std::string buf(max, '\0');
  u64 pos = f.pos();
  usize n = TRY(f.Read(IoBuffer::Kernel(buf.data(), buf.size()), pos));
  f.set_pos(pos);
  buf.resize(n);
  return buf;
}

inline Result<void> FsTest::WriteFile(const std::string& path, const std::string& data, u32 mode) {
  lib::RefPtr<File> f = TRY(OpenPath(path, o::kWrOnly | o::kCreat | o::kTrunc, mode));
  TRY(Write(*f, data));
  return Ok();
}

inline Result<std::string> FsTest::ReadFile(const std::string& path) {
  lib::RefPtr<File> f = TRY(OpenPath(path, o::kRdOnly));
  std::string all;
  for (;;) {
    std::string chunk = TRY(Read(*f));
    if (chunk.empty()) break;
    all += chunk;
  }
  return all;
}

inline Result<Path> FsTest::Lookup(const std::string& path, bool follow) {
  return ResolvePath(actor_, kAtFdCwd, lib::string_view(path.data(), path.size()),
                     follow ? walk::kFollow : 0);
}

inline Errno FsTest::LookupErr(const std::string& path, bool follow) {
  Result<Path> r = Lookup(path, follow);
  return r.ok() ? Errno{} : r.error();
}

inline std::vector<std::string> FsTest::List(const std::string& dir) {
  internal::VectorSink sink;
  Result<lib::RefPtr<File>> f = OpenPath(dir, o::kRdOnly | o::kDirectory);
  if (f.is_error()) return {"<error>"};
  (void)f.value()->ReadDir(sink);
  return sink.names;
}

inline void CpioWriter::Add(const std::string& name, u32 mode, const std::string& data, u32 ino,
                            u32 nlink, u32 rdev_major, u32 rdev_minor, u32 uid, u32 gid,
                            u32 mtime) {
  char header[111];
  if (ino == 0) ino = next_ino_++;
  std::snprintf(header, sizeof(header),
                "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ino, mode, uid, gid,
                nlink, mtime, static_cast<u32>(data.size()), 0u, 0u, rdev_major, rdev_minor,
                static_cast<u32>(name.size() + 1), 0u);
  out_.append(header, 110);
  out_.append(name);
  out_.push_back('\0');
  while (out_.size() % 4 != 0) out_.push_back('\0');
  out_.append(data);
  while (out_.size() % 4 != 0) out_.push_back('\0');
}

inline std::string Gzip(const std::string& data, int level) {
  char in_path[] = "/tmp/aramid-gzip-XXXXXX";
  int fd = mkstemp(in_path);
  EXPECT_GE(fd, 0);
  if (fd < 0) return {};
  EXPECT_EQ(::write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
  ::close(fd);
  std::string cmd = "gzip -c -" + std::to_string(level) + " " + in_path;
  FILE* p = popen(cmd.c_str(), "r");
  EXPECT_NE(p, nullptr) << "gzip(1) is needed to make test data";
  std::string out;
  if (p != nullptr) {
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
    EXPECT_EQ(pclose(p), 0) << "gzip(1) failed";
  }
  unlink(in_path);
  return out;
}

}  // namespace kernel::fs::testing
