#include "hal/hostsim/soft_mmu.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include <hal/phys.h>

#include "hal/common/page_table.h"
#include "kernel/mm/page_alloc.h"

namespace hal::hostsim {
namespace {

constexpr u64 kP = pte::kPresent;
constexpr u64 kW = pte::kWritable;
constexpr u64 kU = pte::kUser;
constexpr u64 kNx = pte::kNoExecute;
constexpr u64 k4K = 0x1000;

// Error codes spelled out as the SDM's bit positions, so a test cannot agree with a wrong
// constant by construction: P=1, W=2, U=4, RSVD=8, I/D=16.
constexpr u64 kErrP = 1, kErrW = 2, kErrU = 4, kErrRsvd = 8, kErrI = 16;

class SoftMmuTest : public testing::Test {
 protected:
  void SetUp() override {
    free_at_start_ = kernel::mm::GetPhysStats().free_pages;
    root_ = Mmu::CreateAddressSpace().value();
  }
  void TearDown() override {
    for (auto it = restore_.rbegin(); it != restore_.rend(); ++it) *it->first = it->second;
    ASSERT_TRUE(Mmu::UnmapRange(root_, kUserMin, kUserEnd - kUserMin, nullptr, nullptr).ok());
    Mmu::DestroyAddressSpace(root_);
    for (PhysAddr pa : frames_) kernel::mm::FreePage(pa);
    EXPECT_EQ(kernel::mm::GetPhysStats().free_pages, free_at_start_);
  }

  // Maps a fresh zeroed frame at `va`; returns its physical address.
  PhysAddr MapNew(u64 va, u64 flags) {
    PhysAddr pa = kernel::mm::AllocZeroedPage().value();
    frames_.push_back(pa);
    EXPECT_TRUE(Mmu::Map(root_, va, pa, flags).ok());
    return pa;
  }

  // The paging-structure entry for `va` at `level`, for tests that forge entries the walker
  // never writes. The original value is put back before teardown.
  u64& EntryFor(u64 va, int level) {
    PhysAddr table = root_.pml4;
    for (int l = common::kPageTableLevels - 1; l > level; --l) {
      table = common::ReadEntry(table, common::EntryIndex(va, l)) & pte::kAddressMask;
    }
    u64* slot = static_cast<u64*>(Phys::ToVirt(table)) + common::EntryIndex(va, level);
    restore_.push_back({slot, *slot});
    return *slot;
  }

  MmuResult User(u64 va, Access a) { return SoftMmu::Translate(root_, va, a, Privilege::kUser); }
  MmuResult Kernel(u64 va, Access a) {
    return SoftMmu::Translate(root_, va, a, Privilege::kSupervisor);
  }

  usize free_at_start_ = 0;
  PageTableRoot root_;
  std::vector<PhysAddr> frames_;
  std::vector<std::pair<u64*, u64>> restore_;
};

void ExpectFault(const MmuResult& r, u64 error_code, u64 address) {
  ASSERT_EQ(r.kind, MmuResult::Kind::kPageFault);
  EXPECT_EQ(r.error_code, error_code)
      << std::hex << "got 0x" << r.error_code << " want 0x" << error_code;
  EXPECT_EQ(r.address, address);
}

TEST_F(SoftMmuTest, PermittedAccessesTranslateToTheFrame) {
  PhysAddr pa = MapNew(0x40'0000, kP | kW | kU);
  for (Access a : {Access::kRead, Access::kWrite, Access::kExecute}) {
    MmuResult r = User(0x40'0123, a);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.phys, pa + 0x123);
  }
}

TEST_F(SoftMmuTest, NotPresentFaultsCarryOnlyTheAccessBits) {
  MapNew(0x40'0000, kP | kW | kU);
  // The leaf missing (same page table) and a whole table missing look the same.
  for (u64 va : {u64{0x40'1008}, u64{0x7000'0000'0000}, u64{0}}) {
    ExpectFault(User(va, Access::kRead), kErrU, va);
    ExpectFault(User(va, Access::kWrite), kErrU | kErrW, va);
    ExpectFault(User(va, Access::kExecute), kErrU | kErrI, va);
    ExpectFault(Kernel(va, Access::kRead), 0, va);
    ExpectFault(Kernel(va, Access::kWrite), kErrW, va);
  }
  // A mapped but non-present (PROT_NONE) entry is not present to the hardware.
  MapNew(0x50'0000, kU | kW);
  ExpectFault(User(0x50'0000, Access::kRead), kErrU, 0x50'0000);
}

TEST_F(SoftMmuTest, WriteToAReadOnlyPage) {
  MapNew(0x40'0000, kP | kU);
  EXPECT_TRUE(User(0x40'0000, Access::kRead).ok());
  ExpectFault(User(0x40'0010, Access::kWrite), kErrP | kErrW | kErrU, 0x40'0010);
  // CR0.WP=1: the kernel cannot write it either.
  ExpectFault(Kernel(0x40'0010, Access::kWrite), kErrP | kErrW, 0x40'0010);
}

TEST_F(SoftMmuTest, UserAccessToASupervisorPage) {
  MapNew(0x40'0000, kP | kW);
  ExpectFault(User(0x40'0000, Access::kRead), kErrP | kErrU, 0x40'0000);
  ExpectFault(User(0x40'0000, Access::kWrite), kErrP | kErrW | kErrU, 0x40'0000);
  ExpectFault(User(0x40'0000, Access::kExecute), kErrP | kErrU | kErrI, 0x40'0000);
  EXPECT_TRUE(Kernel(0x40'0000, Access::kRead).ok());
  EXPECT_TRUE(Kernel(0x40'0000, Access::kWrite).ok());
}

TEST_F(SoftMmuTest, NoExecute) {
  MapNew(0x40'0000, kP | kW | kU | kNx);
  EXPECT_TRUE(User(0x40'0000, Access::kRead).ok());
  EXPECT_TRUE(User(0x40'0000, Access::kWrite).ok());
  ExpectFault(User(0x40'0000, Access::kExecute), kErrP | kErrU | kErrI, 0x40'0000);
}

TEST_F(SoftMmuTest, SmepForbidsTheKernelFetchingUserPages) {
  MapNew(0x40'0000, kP | kU);
  ExpectFault(Kernel(0x40'0000, Access::kExecute), kErrP | kErrI, 0x40'0000);
  MapNew(0x41'0000, kP);
  EXPECT_TRUE(Kernel(0x41'0000, Access::kExecute).ok());
}

TEST_F(SoftMmuTest, RightsCombineAcrossAllLevels) {
  MapNew(0x40'0000, kP | kW | kU);
  for (int level = 1; level <= 3; ++level) {
    SCOPED_TRACE(level);
    u64& e = EntryFor(0x40'0000, level);
    const u64 saved = e;
    e = saved & ~kU;
    ExpectFault(User(0x40'0000, Access::kRead), kErrP | kErrU, 0x40'0000);
    e = saved & ~kW;
    EXPECT_TRUE(User(0x40'0000, Access::kRead).ok());
    ExpectFault(User(0x40'0000, Access::kWrite), kErrP | kErrW | kErrU, 0x40'0000);
    e = saved | kNx;
    EXPECT_TRUE(User(0x40'0000, Access::kWrite).ok());
    ExpectFault(User(0x40'0000, Access::kExecute), kErrP | kErrU | kErrI, 0x40'0000);
    e = saved & ~kP;
    ExpectFault(User(0x40'0000, Access::kRead), kErrU, 0x40'0000);
    e = saved;
  }
}

TEST_F(SoftMmuTest, ReservedBitsFaultWithRsvdAndPresent) {
  // A frame above MAXPHYADDR in the leaf.
  const u64 beyond = u64{1} << SoftMmu::kMaxPhysAddrBits;
  ASSERT_TRUE(Mmu::Map(root_, 0x40'0000, beyond | 0x10'0000, kP | kW | kU).ok());
  ExpectFault(User(0x40'0000, Access::kRead), kErrP | kErrU | kErrRsvd, 0x40'0000);
  ExpectFault(User(0x40'0000, Access::kWrite), kErrP | kErrW | kErrU | kErrRsvd, 0x40'0000);
  ExpectFault(Kernel(0x40'0000, Access::kRead), kErrP | kErrRsvd, 0x40'0000);
  // Bit 51, the top of the address field, is reserved as well.
  ASSERT_TRUE(Mmu::Map(root_, 0x40'0000, (u64{1} << 51) | 0x10'0000, kP | kU).ok());
  ExpectFault(User(0x40'0000, Access::kExecute), kErrP | kErrU | kErrI | kErrRsvd, 0x40'0000);

  // PS in a PML4 entry is reserved, and the walk stops there.
  MapNew(0x41'0000, kP | kW | kU);
  u64& pml4e = EntryFor(0x41'0000, 3);
  pml4e |= pte::kHuge;
  ExpectFault(User(0x41'0000, Access::kRead), kErrP | kErrU | kErrRsvd, 0x41'0000);
  // A reserved bit at a higher level beats a not-present entry below it...
  pml4e = restore_.back().second | beyond;
  ExpectFault(User(0x7f'f000, Access::kRead), kErrP | kErrU | kErrRsvd, 0x7f'f000);
  pml4e = restore_.back().second;
  // ...and a not-present entry above hides reserved bits below.
  u64& pde = EntryFor(0x41'0000, 1);
  pde |= beyond;
  u64& pdpte = EntryFor(0x41'0000, 2);
  pdpte &= ~kP;
  ExpectFault(User(0x41'0000, Access::kRead), kErrU, 0x41'0000);
}

TEST_F(SoftMmuTest, LargePagesTranslateAndCheckTheirReservedBits) {
  // Forge a 2 MiB page at 0x60'0000 (the walker never makes one) over a real, aligned block.
  PhysAddr block = kernel::mm::AllocPages(9).value();
  MapNew(0x60'0000, kP | kW | kU);  // creates the page directory
  u64& pde = EntryFor(0x60'0000, 1);
  PhysAddr pt = pde & pte::kAddressMask;
  pde = block | kP | kW | kU | pte::kHuge;
  MmuResult r = User(0x60'0000 + 0x12'3456, Access::kWrite);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.phys, block + 0x12'3456);
  pde = block | kP | kW | kU | pte::kHuge | (u64{1} << 13);  // bits 20:13 must be 0
  ExpectFault(User(0x60'0000, Access::kRead), kErrP | kErrU | kErrRsvd, 0x60'0000);
  pde = pt | common::kTableEntryFlags;
  kernel::mm::FreePages(block, 9);
}

TEST_F(SoftMmuTest, NonCanonicalAddressesAreGeneralProtection) {
  for (u64 va : {kUserEnd, u64{0x1234'5678'0000'0000}, u64{0xfff0'0000'0000'0000}}) {
    MmuResult r = User(va, Access::kRead);
    EXPECT_EQ(r.kind, MmuResult::Kind::kGeneralProtection);
    Trap t = r.AsTrap();
    EXPECT_EQ(t.kind, TrapKind::kFault);
    EXPECT_EQ(t.vector, vec::kGeneralProtection);
  }
  // The kernel half is canonical: it page-faults (nothing is mapped there in this root).
  ExpectFault(User(0xffff'8000'0000'0000ull, Access::kRead), kErrU, 0xffff'8000'0000'0000ull);
}

TEST_F(SoftMmuTest, AnEmptyRootFaultsEverywhere) {
  ExpectFault(SoftMmu::Translate(PageTableRoot{}, 0x40'0000, Access::kRead, Privilege::kUser),
              kErrU, 0x40'0000);
}

TEST_F(SoftMmuTest, PageFaultTraps) {
  MmuResult r = User(0x9000, Access::kWrite);
  Trap t = r.AsTrap();
  EXPECT_EQ(t.kind, TrapKind::kPageFault);
  EXPECT_EQ(t.vector, vec::kPageFault);
  EXPECT_EQ(t.error_code, kErrU | kErrW);
  EXPECT_EQ(t.address, 0x9000u);
}

TEST_F(SoftMmuTest, AccessesAcrossPagesAreAllOrNothing) {
  PhysAddr a = MapNew(0x40'0000, kP | kW | kU);
  PhysAddr b = MapNew(0x40'1000, kP | kW | kU);
  const char msg[] = "crossing the page boundary";
  const u64 va = 0x40'1000 - 8;
  ASSERT_TRUE(SoftMmu::Store(root_, va, msg, sizeof(msg)).ok());
  EXPECT_EQ(std::memcmp(static_cast<u8*>(Phys::ToVirt(a)) + k4K - 8, msg, 8), 0);
  EXPECT_EQ(std::memcmp(Phys::ToVirt(b), msg + 8, sizeof(msg) - 8), 0);
  char back[sizeof(msg)] = {};
  ASSERT_TRUE(SoftMmu::Load(root_, va, back, sizeof(back)).ok());
  EXPECT_STREQ(back, msg);

  // The second page read-only: the store faults at that page's first byte, and the first
  // page is left untouched.
  ASSERT_TRUE(Mmu::Protect(root_, 0x40'1000, kP | kU).ok());
  const char other[] = "XXXXXXXXXXXXXXXX";
  MmuResult r = SoftMmu::Store(root_, va, other, 16);
  ExpectFault(r, kErrP | kErrW | kErrU, 0x40'1000);
  EXPECT_EQ(std::memcmp(static_cast<u8*>(Phys::ToVirt(a)) + k4K - 8, msg, 8), 0);
  // A fetch from the first page when the second is NX faults on the second.
  ASSERT_TRUE(Mmu::Protect(root_, 0x40'1000, kP | kU | kNx).ok());
  ExpectFault(SoftMmu::Load(root_, va, back, 16, Access::kExecute), kErrP | kErrU | kErrI,
              0x40'1000);
  EXPECT_TRUE(SoftMmu::Load(root_, va, back, 8, Access::kExecute).ok());
}

}  // namespace
}  // namespace hal::hostsim
