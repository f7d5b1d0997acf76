#include <gtest/gtest.h>

#include <vector>

#include <hal/mmu.h>

#include "hal/hostsim/address_space_observer.h"
#include "kernel/mm/page_alloc.h"

namespace hal::hostsim {
namespace {

constexpr u64 kRw = pte::kPresent | pte::kWritable | pte::kUser;
constexpr u64 kRo = pte::kPresent | pte::kUser;

struct Event {
  enum Kind { kUnmap, kProtect, kDestroy } kind;
  u64 root;
  u64 va;
  u64 old_entry;
  u64 new_entry;
  bool operator==(const Event&) const = default;
};

class Recorder : public AddressSpaceObserver {
 public:
  void OnUnmap(PageTableRoot root, u64 va, const Translation& old) override {
    events.push_back({Event::kUnmap, root.pml4, va, old.phys | old.flags, 0});
  }
  void OnProtect(PageTableRoot root, u64 va, const Translation& old,
                 const Translation& now) override {
    events.push_back({Event::kProtect, root.pml4, va, old.phys | old.flags, now.phys | now.flags});
  }
  void OnDestroy(PageTableRoot root) override {
    events.push_back({Event::kDestroy, root.pml4, 0, 0, 0});
  }
  std::vector<Event> events;
};

class HostsimMmuTest : public testing::Test {
 protected:
  void SetUp() override {
    free_ = kernel::mm::GetPhysStats().free_pages;
    SetAddressSpaceObserver(&recorder_);
  }
  void TearDown() override {
    SetAddressSpaceObserver(nullptr);
    Mmu::Activate({});
    EXPECT_EQ(kernel::mm::GetPhysStats().free_pages, free_);
  }
  usize free_ = 0;
  Recorder recorder_;
};

TEST_F(HostsimMmuTest, TheObserverSeesEveryChangeToAPresentTranslation) {
  PageTableRoot root = Mmu::CreateAddressSpace().value();
  const u64 va = 0x40'0000;
  const PhysAddr a = 0x20'0000, b = 0x30'0000;
  ASSERT_TRUE(Mmu::Map(root, va, a, kRw).ok());          // new: nothing to drop
  ASSERT_TRUE(Mmu::Protect(root, va, kRo).ok());         // same frame: protect
  ASSERT_TRUE(Mmu::Map(root, va, b, kRo).ok());          // another frame: the old one goes
  ASSERT_TRUE(Mmu::Protect(root, va, pte::kUser).ok());  // PROT_NONE: goes
  ASSERT_TRUE(Mmu::Protect(root, va, kRw).ok());         // back from non-present: nothing
  ASSERT_TRUE(Mmu::Unmap(root, va).ok());
  ASSERT_TRUE(Mmu::Map(root, va, a, kRw).ok());
  ASSERT_TRUE(Mmu::UnmapRange(root, va, 0x1000, nullptr, nullptr).ok());
  Mmu::DestroyAddressSpace(root);
  const u64 r = root.pml4;
  const std::vector<Event> want = {
      {Event::kProtect, r, va, a | kRw, a | kRo}, {Event::kUnmap, r, va, a | kRo, 0},
      {Event::kUnmap, r, va, b | kRo, 0},         {Event::kUnmap, r, va, b | kRw, 0},
      {Event::kUnmap, r, va, a | kRw, 0},         {Event::kDestroy, r, 0, 0, 0},
  };
  EXPECT_EQ(recorder_.events, want);
}

TEST_F(HostsimMmuTest, ActivateAndActive) {
  PageTableRoot a = Mmu::CreateAddressSpace().value();
  PageTableRoot b = Mmu::CreateAddressSpace().value();
  EXPECT_NE(a, b);
  Mmu::Activate(a);
  EXPECT_EQ(Mmu::Active(), a);
  Mmu::Activate(b);
  EXPECT_EQ(Mmu::Active(), b);
  Mmu::Activate({});
  EXPECT_FALSE(Mmu::Active().valid());
  Mmu::DestroyAddressSpace(a);
  Mmu::DestroyAddressSpace(b);
}

TEST_F(HostsimMmuTest, CreateAddressSpaceIsEnomemWhenMemoryRunsOut) {
  kernel::mm::FailPageAllocAfter(0);
  auto r = Mmu::CreateAddressSpace();
  kernel::mm::ClearPageAllocFailure();
  EXPECT_EQ(r.error(), kernel::Errno::kENOMEM);
}

TEST(HostsimMmuDeathTest, DestroyingTheActiveAddressSpacePanics) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        PageTableRoot a = Mmu::CreateAddressSpace().value();
        Mmu::Activate(a);
        Mmu::DestroyAddressSpace(a);
      },
      "KERNEL PANIC: hostsim: DestroyAddressSpace\\(0x[0-9a-f]+\\): the address space is "
      "active");
}

}  // namespace
}  // namespace hal::hostsim
