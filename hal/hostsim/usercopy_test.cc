#include "hal/hostsim/usercopy.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include <hal/cpu.h>
#include <hal/mmu.h>
#include <hal/phys.h>
#include <hal/usercopy.h>

#include "kernel/mm/page_alloc.h"

namespace hal::hostsim {
namespace {

constexpr u64 kRw = pte::kPresent | pte::kWritable | pte::kUser;
constexpr u64 kRo = pte::kPresent | pte::kUser;
constexpr u64 k4K = 0x1000;
// Three pages: A (rw) at kBase, B (rw) after it, then a hole (nothing mapped).
constexpr u64 kBase = 0x40'0000;
constexpr u64 kHole = kBase + 2 * k4K;

struct Fault {
  u64 address;
  u64 error_code;
};

// The fault handler for these tests plays the kernel's page-fault handler.
struct FaultLog {
  std::vector<Fault> faults;
  PageTableRoot root;
  bool map_on_fault = false;   // demand paging: map a fresh page where the fault was
  bool make_writable = false;  // a write to a read-only page: make it writable (a CoW break)
  bool lie = false;            // claim success without doing anything
  std::vector<PhysAddr> frames;
};
FaultLog* g_log = nullptr;

bool OnFault(u64 address, u64 error_code) {
  g_log->faults.push_back({address, error_code});
  u64 page = address & ~(k4K - 1);
  if (g_log->lie) return true;
  if (g_log->map_on_fault && (error_code & pf::kPresent) == 0) {
    PhysAddr pa = kernel::mm::AllocZeroedPage().value();
    g_log->frames.push_back(pa);
    return Mmu::Map(g_log->root, page, pa, kRo).ok();
  }
  if (g_log->make_writable && (error_code & pf::kWrite) != 0 && (error_code & pf::kPresent) != 0) {
    return Mmu::Protect(g_log->root, page, kRw).ok();
  }
  return false;
}

class UserCopyTest : public testing::Test {
 protected:
  void SetUp() override {
    free_ = kernel::mm::GetPhysStats().free_pages;
    root_ = Mmu::CreateAddressSpace().value();
    for (u64 i = 0; i < 2; ++i) {
      PhysAddr pa = kernel::mm::AllocZeroedPage().value();
      frames_.push_back(pa);
      ASSERT_TRUE(Mmu::Map(root_, kBase + i * k4K, pa, kRw).ok());
    }
    Mmu::Activate(root_);
    log_.root = root_;
    g_log = &log_;
    SetKernelUserFaultHandler(&OnFault);
  }
  void TearDown() override {
    SetKernelUserFaultHandler(nullptr);
    g_log = nullptr;
    Mmu::Activate({});
    ASSERT_TRUE(Mmu::UnmapRange(root_, kUserMin, kUserEnd - kUserMin, nullptr, nullptr).ok());
    Mmu::DestroyAddressSpace(root_);
    for (PhysAddr pa : frames_) kernel::mm::FreePage(pa);
    for (PhysAddr pa : log_.frames) kernel::mm::FreePage(pa);
    EXPECT_EQ(kernel::mm::GetPhysStats().free_pages, free_);
  }
  u8* Bytes(u64 va) {
    return static_cast<u8*>(Phys::ToVirt(Mmu::Query(root_, va & ~(k4K - 1)).value().phys)) +
           (va & (k4K - 1));
  }

  usize free_ = 0;
  PageTableRoot root_;
  std::vector<PhysAddr> frames_;
  FaultLog log_;
};

TEST_F(UserCopyTest, RoundTripAcrossAPageBoundary) {
  std::string text(3000, '\0');
  for (size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>('a' + i % 26);
  const u64 va = kBase + k4K - 1000;
  EXPECT_EQ(UserCopy::CopyToUser(va, text.data(), text.size()), 0u);
  EXPECT_EQ(std::memcmp(Bytes(va), text.data(), 1000), 0);
  EXPECT_EQ(std::memcmp(Bytes(kBase + k4K), text.data() + 1000, 2000), 0);
  std::string back(text.size(), '\0');
  EXPECT_EQ(UserCopy::CopyFromUser(back.data(), va, back.size()), 0u);
  EXPECT_EQ(back, text);
  EXPECT_TRUE(log_.faults.empty());
}

TEST_F(UserCopyTest, AFaultStopsTheCopyAtThePageAndCountsTheRest) {
  std::vector<u8> src(300, 0x77);
  // 100 bytes fit before the hole.
  EXPECT_EQ(UserCopy::CopyToUser(kHole - 100, src.data(), 300), 200u);
  EXPECT_EQ(Bytes(kHole - 100)[0], 0x77);
  EXPECT_EQ(Bytes(kHole - 1)[0], 0x77);
  std::vector<u8> dst(300, 0xee);
  EXPECT_EQ(UserCopy::CopyFromUser(dst.data(), kHole - 100, 300), 200u);
  EXPECT_EQ(dst[0], 0x77);
  EXPECT_EQ(dst[99], 0x77);
  // What could not be copied is zeroed, never left stale (Linux does the same).
  EXPECT_EQ(dst[100], 0);
  EXPECT_EQ(dst[299], 0);
  // Each copy asked the kernel once, with a supervisor not-present error code.
  ASSERT_EQ(log_.faults.size(), 2u);
  EXPECT_EQ(log_.faults[0].address, kHole);
  EXPECT_EQ(log_.faults[0].error_code, pf::kWrite);
  EXPECT_EQ(log_.faults[1].error_code, 0u);
}

TEST_F(UserCopyTest, WritingAReadOnlyPageFails) {
  ASSERT_TRUE(Mmu::Protect(root_, kBase + k4K, kRo).ok());
  std::vector<u8> src(k4K, 1);
  EXPECT_EQ(UserCopy::CopyToUser(kBase + k4K - 10, src.data(), 20), 10u);
  EXPECT_EQ(UserCopy::ClearUser(kBase, 2 * k4K), k4K);
  ASSERT_EQ(log_.faults.size(), 2u);
  EXPECT_EQ(log_.faults[0].error_code, pf::kPresent | pf::kWrite);
  // Reading it is fine.
  std::vector<u8> dst(20);
  EXPECT_EQ(UserCopy::CopyFromUser(dst.data(), kBase + k4K - 10, 20), 0u);
}

TEST_F(UserCopyTest, ClearUserZeroesAcrossPages) {
  std::memset(Bytes(kBase), 0x55, k4K);
  std::memset(Bytes(kBase + k4K), 0x55, k4K);
  EXPECT_EQ(UserCopy::ClearUser(kBase + 10, 2 * k4K - 20), 0u);
  EXPECT_EQ(Bytes(kBase)[9], 0x55);
  EXPECT_EQ(Bytes(kBase)[10], 0);
  EXPECT_EQ(Bytes(kBase + k4K)[k4K - 11], 0);
  EXPECT_EQ(Bytes(kBase + k4K)[k4K - 10], 0x55);
}

TEST_F(UserCopyTest, RangesOutsideTheUserHalfCopyNothing) {
  u8 buf[64];
  std::memset(buf, 0xcc, sizeof(buf));
  for (u64 va : {kUserEnd, u64{0xffff'8880'0000'0000}, kUserEnd - 8, ~u64{0} - 8}) {
    SCOPED_TRACE(va);
    EXPECT_EQ(UserCopy::CopyFromUser(buf, va, sizeof(buf)), sizeof(buf));
    EXPECT_EQ(UserCopy::CopyToUser(va, buf, sizeof(buf)), sizeof(buf));
    EXPECT_EQ(UserCopy::ClearUser(va, sizeof(buf)), sizeof(buf));
  }
  EXPECT_EQ(buf[0], 0) << "CopyFromUser zeroes what it could not copy";
  // A length that wraps around the address space.
  EXPECT_EQ(UserCopy::CopyToUser(kBase, buf, ~usize{0}), ~usize{0});
  EXPECT_TRUE(log_.faults.empty()) << "bad ranges must not reach the fault handler";
  EXPECT_EQ(UserCopy::CopyFromUser(buf, kBase, 0), 0u);
}

TEST_F(UserCopyTest, StrncpyFromUser) {
  char out[64];
  const char s[] = "hello";
  ASSERT_EQ(UserCopy::CopyToUser(kBase + 100, s, sizeof(s)), 0u);
  EXPECT_EQ(UserCopy::StrncpyFromUser(out, kBase + 100, sizeof(out)), 5);
  EXPECT_STREQ(out, "hello");
  // No NUL within n bytes: n, and nothing past n is written.
  std::memset(out, 'z', sizeof(out));
  EXPECT_EQ(UserCopy::StrncpyFromUser(out, kBase + 100, 3), 3);
  EXPECT_EQ(std::string(out, 4), "helz");
  EXPECT_EQ(UserCopy::StrncpyFromUser(out, kBase + 100, 6), 5);
  EXPECT_EQ(UserCopy::StrncpyFromUser(out, kBase + 100, 0), 0);
}

TEST_F(UserCopyTest, StrncpyFromUserAcrossPagesAndFaults) {
  char out[64];
  // A string that straddles A and B.
  const char s[] = "straddling";
  ASSERT_EQ(UserCopy::CopyToUser(kBase + k4K - 4, s, sizeof(s)), 0u);
  EXPECT_EQ(UserCopy::StrncpyFromUser(out, kBase + k4K - 4, sizeof(out)), 10);
  EXPECT_STREQ(out, s);
  // Unterminated up to the hole: a fault before the NUL is -1.
  std::memset(Bytes(kHole - 8), 'x', 8);
  EXPECT_EQ(UserCopy::StrncpyFromUser(out, kHole - 8, sizeof(out)), -1);
  // But a string that ends right before the hole never touches it.
  Bytes(kHole - 1)[0] = '\0';
  EXPECT_EQ(UserCopy::StrncpyFromUser(out, kHole - 8, sizeof(out)), 7);
  // Outside the user half.
  EXPECT_EQ(UserCopy::StrncpyFromUser(out, kUserEnd, sizeof(out)), -1);
  // A string that runs into the end of the user half never ends.
  PhysAddr top = kernel::mm::AllocPage().value();
  frames_.push_back(top);
  ASSERT_TRUE(Mmu::Map(root_, kUserEnd - k4K, top, kRo).ok());
  std::memset(Phys::ToVirt(top), 'x', k4K);
  EXPECT_EQ(UserCopy::StrncpyFromUser(out, kUserEnd - 8, sizeof(out)), -1);
  EXPECT_EQ(UserCopy::StrncpyFromUser(out, kUserEnd - 8, 8), 8);
  EXPECT_EQ(UserCopy::StrncpyFromUser(out, 0xffff'ffff'8000'0000ull, sizeof(out)), -1);
}

TEST_F(UserCopyTest, ResolvedFaultsAreRetried) {
  // Demand paging: the hole is mapped read-only on the first (not-present) fault, and the
  // write then takes a second, protection fault that makes it writable.
  log_.map_on_fault = true;
  log_.make_writable = true;
  std::vector<u8> src(200, 0x42);
  EXPECT_EQ(UserCopy::CopyToUser(kHole - 100, src.data(), 200), 0u);
  ASSERT_EQ(log_.faults.size(), 2u);
  EXPECT_EQ(log_.faults[0].address, kHole);
  EXPECT_EQ(log_.faults[0].error_code, pf::kWrite);
  EXPECT_EQ(log_.faults[1].error_code, pf::kWrite | pf::kPresent);
  EXPECT_EQ(Bytes(kHole + 99)[0], 0x42);
  // A read of a fresh page needs one fault.
  log_.faults.clear();
  u8 dst[16];
  EXPECT_EQ(UserCopy::CopyFromUser(dst, kHole + 5 * k4K, sizeof(dst)), 0u);
  EXPECT_EQ(log_.faults.size(), 1u);
}

TEST_F(UserCopyTest, AHandlerThatNeverFixesThePageIsNotRetriedForever) {
  log_.lie = true;
  u8 dst[16];
  EXPECT_EQ(UserCopy::CopyFromUser(dst, kHole, sizeof(dst)), sizeof(dst));
  EXPECT_EQ(log_.faults.size(), static_cast<size_t>(kMaxFaultsPerPage));
}

TEST_F(UserCopyTest, NoActiveAddressSpaceMeansEveryCopyFails) {
  Mmu::Activate({});
  u8 buf[8] = {};
  EXPECT_EQ(UserCopy::CopyToUser(kBase, buf, sizeof(buf)), sizeof(buf));
  EXPECT_EQ(UserCopy::StrncpyFromUser(reinterpret_cast<char*>(buf), kBase, sizeof(buf)), -1);
}

}  // namespace
}  // namespace hal::hostsim
