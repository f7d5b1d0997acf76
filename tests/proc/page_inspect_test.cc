// The page-table inspector on a live process in the scripted sim: after fork and a write in
// the child, the walk of the same address shows the parent's page and the child's copy as
// different frames holding different bytes, and the child's leaf writable (its CoW was broken)
// while the parent's is still write-protected.
#include "kernel/debug/page_inspect.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include <string>

#include "kernel/proc/task.h"
#include "sim/machine.h"

namespace proc_test {
namespace {

struct Walk {
  kernel::debug::InspectResult result;
  std::string text;
};

Walk InspectIn(sim::Machine& m, sim::Pid pid, uint64_t va) {
  Walk w;
  m.Call(pid, [&](kernel::proc::Task& t) -> int64_t {
    kernel::debug::InspectOptions o;
    o.dump_bytes = 16;
    o.sink = [](void* ctx, const char* s, kernel::usize n) {
      static_cast<std::string*>(ctx)->append(s, n);
    };
    o.sink_ctx = &w.text;
    w.result = kernel::debug::InspectAddress(t.page_table_root(), va, o);
    return 0;
  });
  return w;
}

TEST(PageInspectSimTest, ShowsACowBreakInTheChildOnly) {
  sim::Machine m;
  sim::Pid parent = m.Spawn("parent");
  int64_t a = m.Mmap(parent, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  ASSERT_GT(a, 0);
  const uint64_t va = static_cast<uint64_t>(a);
  ASSERT_TRUE(m.Store(parent, va, "parent's bytes").done());
  int64_t child = m.Syscall(parent, SYS_fork).value;
  ASSERT_GT(child, 0);
  ASSERT_TRUE(m.Store(static_cast<sim::Pid>(child), va, "child's bytes!").done());

  Walk p = InspectIn(m, parent, va);
  Walk c = InspectIn(m, static_cast<sim::Pid>(child), va);
  ASSERT_TRUE(p.result.present) << p.text;
  ASSERT_TRUE(c.result.present) << c.text;
  EXPECT_NE(p.result.phys, c.result.phys) << "the child's write copied the page";
  EXPECT_NE(p.text.find("|parent's bytes"), std::string::npos) << p.text;
  EXPECT_NE(c.text.find("|child's bytes!"), std::string::npos) << c.text;
  EXPECT_TRUE(c.result.leaf_entry & hal::pte::kWritable) << c.text;
  EXPECT_FALSE(p.result.leaf_entry & hal::pte::kWritable)
      << "the parent's page stays write-protected until it writes (or is the sole owner)\n"
      << p.text;
}

}  // namespace
}  // namespace proc_test
