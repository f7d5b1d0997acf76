// AddressSpace on hostsim: user accesses go through the software MMU, faults through
// HandleFault, exactly as scripted mode does.
#include "kernel/mm/address_space.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "hal/hostsim/soft_mmu.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/page_alloc.h"

namespace kernel::mm {
namespace {

using hal::hostsim::Access;
using hal::hostsim::MmuResult;
using hal::hostsim::Privilege;
using hal::hostsim::SoftMmu;

// A user access with fault handling; false when the kernel refuses the fault (SIGSEGV).
bool UserAccess(AddressSpace& as, u64 va, void* buf, usize n, bool write, int* faults = nullptr) {
  for (int i = 0; i < 8; ++i) {
    MmuResult r = write ? SoftMmu::Store(as.root(), va, buf, n, Privilege::kUser)
                        : SoftMmu::Load(as.root(), va, buf, n, Access::kRead, Privilege::kUser);
    if (r.ok()) return true;
    if (r.kind != MmuResult::Kind::kPageFault) return false;
    if (faults != nullptr) ++*faults;
    if (as.HandleFault(r.address, r.error_code | hal::pf::kUser).is_error()) return false;
  }
  ADD_FAILURE() << "fault at " << std::hex << va << " never resolved";
  return false;
}

bool Write(AddressSpace& as, u64 va, const std::string& s, int* faults = nullptr) {
  std::string copy = s;
  return UserAccess(as, va, copy.data(), copy.size(), true, faults);
}

std::string Read(AddressSpace& as, u64 va, usize n, int* faults = nullptr) {
  std::string out(n, '\0');
  if (!UserAccess(as, va, out.data(), n, false, faults)) return "<SEGV>";
  return out;
}

PhysAddr FrameOf(AddressSpace& as, u64 va) {
  auto t = hal::Mmu::Query(as.root(), AlignDown(va, kPageSize));
  return t.ok() ? t.value().phys : 0;
}

class AddressSpaceTest : public testing::Test {
 protected:
  void SetUp() override {
    free_at_start_ = GetPhysStats().free_pages;
    allocations_at_start_ = heap::GetStats().allocations;
    as_ = AddressSpace::Create().value();
  }
  void TearDown() override {
    ClearPageAllocFailure();
    heap::ClearFailure();
    if (as_) as_->Verify();
    as_ = nullptr;
    EXPECT_EQ(GetPhysStats().free_pages, free_at_start_) << "pages leaked";
    EXPECT_EQ(heap::GetStats().allocations, allocations_at_start_) << "heap objects leaked";
  }

  u64 MapAnon(u64 len, u32 prot = prot::kRead | prot::kWrite, u32 flags = 0, u64 addr = 0,
              bool shared = false) {
    MapRequest r;
    r.addr = addr;
    r.length = len;
    r.prot = prot;
    r.map_flags = flags;
    r.shared = shared;
    auto got = as_->Map(r);
    EXPECT_TRUE(got.ok());
    return got.value_or(0);
  }

  usize free_at_start_ = 0;
  usize allocations_at_start_ = 0;
  lib::RefPtr<AddressSpace> as_;
};

TEST_F(AddressSpaceTest, AnonymousMemoryIsZeroThenHoldsWrites) {
  u64 a = MapAnon(4 * kPageSize);
  EXPECT_GE(a, kMmapMinAddr);
  EXPECT_LT(a, kMmapBase);
  EXPECT_EQ(Read(*as_, a + 100, 4), std::string(4, '\0'));
  EXPECT_TRUE(Write(*as_, a + kPageSize - 2, "span"));  // crosses a page boundary
  EXPECT_EQ(Read(*as_, a + kPageSize - 2, 4), "span");
  EXPECT_EQ(as_->CountMappedPages(), 2u);
}

TEST_F(AddressSpaceTest, MappingsArePlacedTopDownAndDoNotOverlap) {
  u64 a = MapAnon(3 * kPageSize, prot::kRead);
  u64 b = MapAnon(2 * kPageSize, prot::kRead | prot::kWrite);
  EXPECT_EQ(a, kMmapBase - 3 * kPageSize);
  EXPECT_EQ(b, a - 2 * kPageSize);
  EXPECT_EQ(as_->vmas().size(), 2u);
}

TEST_F(AddressSpaceTest, ForkSharesPagesUntilOneSideWrites) {
  u64 a = MapAnon(2 * kPageSize);
  ASSERT_TRUE(Write(*as_, a, "parent"));
  PhysAddr original = FrameOf(*as_, a);
  auto child = as_->Fork().value();
  EXPECT_EQ(FrameOf(*child, a), original);
  EXPECT_EQ(PageRefCount(original), 2u);
  EXPECT_EQ(Read(*child, a, 6), "parent");
  // Never-touched page: both read zeroes.
  EXPECT_EQ(Read(*child, a + kPageSize, 3), std::string(3, '\0'));

  ASSERT_TRUE(Write(*as_, a, "PARENT"));
  EXPECT_NE(FrameOf(*as_, a), original) << "the parent's write copies";
  EXPECT_EQ(Read(*child, a, 6), "parent");
  EXPECT_EQ(PageRefCount(original), 1u);
  // The child is now the sole owner: its write takes write access back, no copy.
  ASSERT_TRUE(Write(*child, a, "child!"));
  EXPECT_EQ(FrameOf(*child, a), original);
  EXPECT_EQ(Read(*as_, a, 6), "PARENT");
  child->Verify();
}

TEST_F(AddressSpaceTest, SharedAnonymousMemorySurvivesFork) {
  u64 a = MapAnon(kPageSize, prot::kRead | prot::kWrite, 0, 0, /*shared=*/true);
  auto child = as_->Fork().value();
  ASSERT_TRUE(Write(*child, a, "from child"));
  EXPECT_EQ(Read(*as_, a, 10), "from child");
  ASSERT_TRUE(Write(*as_, a, "from paren"));
  EXPECT_EQ(Read(*child, a, 10), "from paren");
}

TEST_F(AddressSpaceTest, SplitsKeepObjectOffsets) {
  std::vector<u8> file(5 * kPageSize);
  for (usize i = 0; i < file.size(); ++i) file[i] = static_cast<u8>('A' + i / kPageSize);
  auto obj = BufferObject::Create(file.data(), file.size()).value();
  MapRequest r;
  r.length = 4 * kPageSize;
  r.prot = prot::kRead | prot::kWrite;
  r.object = obj;
  r.pgoff = 1;  // the mapping starts at file page 1 ('B')
  u64 a = as_->Map(r).value();
  ASSERT_TRUE(as_->Unmap(a + kPageSize, kPageSize).ok());  // hole at 'C'
  ASSERT_TRUE(as_->Protect(a + 3 * kPageSize, kPageSize, prot::kRead).ok());
  EXPECT_EQ(as_->vmas().size(), 3u);
  EXPECT_EQ(Read(*as_, a, 1), "B");
  EXPECT_EQ(Read(*as_, a + kPageSize, 1), "<SEGV>");
  EXPECT_EQ(Read(*as_, a + 2 * kPageSize, 1), "D");
  EXPECT_EQ(Read(*as_, a + 3 * kPageSize, 1), "E");
  // A private write copies: the object keeps its bytes.
  ASSERT_TRUE(Write(*as_, a + 2 * kPageSize, "x"));
  EXPECT_EQ(file[3 * kPageSize], 'D');
  EXPECT_FALSE(Write(*as_, a + 3 * kPageSize, "y")) << "read-only after mprotect";
}

// Truncation's reverse map: every mapping of the object, in every address space, at its own
// offset, loses the pages from the given index on (private copies too); other objects'
// mappings and the pages before the index stay.
TEST_F(AddressSpaceTest, ZapObjectPagesReachesEveryMapping) {
  std::vector<u8> file(4 * kPageSize, 'f');
  auto obj = BufferObject::Create(file.data(), file.size()).value();
  auto other = BufferObject::Create(file.data(), file.size()).value();
  auto map = [](AddressSpace& as, lib::RefPtr<BufferObject> o, u64 pgoff, u64 pages, bool shared) {
    MapRequest r;
    r.length = pages * kPageSize;
    r.prot = prot::kRead | prot::kWrite;
    r.object = lib::move(o);
    r.pgoff = pgoff;
    r.shared = shared;
    return as.Map(r).value();
  };
  u64 a = map(*as_, obj, 0, 4, /*shared=*/true);
  u64 keep = map(*as_, other, 0, 4, /*shared=*/true);
  lib::RefPtr<AddressSpace> second = AddressSpace::Create().value();
  u64 b = map(*second, obj, 2, 2, /*shared=*/false);  // object pages 2 and 3
  for (u64 i = 0; i < 4; ++i) {
    ASSERT_EQ(Read(*as_, a + i * kPageSize, 1), "f");
    ASSERT_EQ(Read(*as_, keep + i * kPageSize, 1), "f");
  }
  ASSERT_TRUE(Write(*second, b, "p"));              // a private copy of page 2
  ASSERT_TRUE(Write(*second, b + kPageSize, "q"));  // and of page 3
  lib::RefPtr<AddressSpace> child = second->Fork().value();
  AddressSpace::ZapObjectPages(obj->mapping_key(), 3);
  for (u64 i = 0; i < 3; ++i) EXPECT_NE(FrameOf(*as_, a + i * kPageSize), 0u) << i;
  EXPECT_EQ(FrameOf(*as_, a + 3 * kPageSize), 0u);
  for (u64 i = 0; i < 4; ++i) EXPECT_NE(FrameOf(*as_, keep + i * kPageSize), 0u) << i;
  EXPECT_EQ(Read(*second, b, 1), "p") << "page 2 is before the cut";
  EXPECT_EQ(FrameOf(*second, b + kPageSize), 0u) << "even the private copy of page 3 goes";
  EXPECT_EQ(FrameOf(*child, b + kPageSize), 0u) << "the fork child's too";
  EXPECT_EQ(Read(*child, b, 1), "p");
  AddressSpace::ZapObjectPages(obj->mapping_key(), 0);
  EXPECT_EQ(FrameOf(*as_, a), 0u);
  EXPECT_EQ(FrameOf(*second, b), 0u);
  EXPECT_EQ(as_->CountMappedPages(), 4u) << "only the other object's pages are left";
}

TEST_F(AddressSpaceTest, ProtNoneKeepsContents) {
  u64 a = MapAnon(kPageSize);
  ASSERT_TRUE(Write(*as_, a, "keep"));
  ASSERT_TRUE(as_->Protect(a, kPageSize, prot::kNone).ok());
  EXPECT_EQ(Read(*as_, a, 4), "<SEGV>");
  ASSERT_TRUE(as_->Protect(a, kPageSize, prot::kRead).ok());
  EXPECT_EQ(Read(*as_, a, 4), "keep");
  EXPECT_FALSE(Write(*as_, a, "nope"));
}

TEST_F(AddressSpaceTest, ProtectReportsHolesAfterChangingWhatComesFirst) {
  u64 a = MapAnon(kPageSize, prot::kRead | prot::kWrite, map::kFixed, 0x100000);
  MapAnon(kPageSize, prot::kRead | prot::kWrite, map::kFixed, 0x102000);
  auto r = as_->Protect(a, 3 * kPageSize, prot::kRead);
  ASSERT_TRUE(r.is_error());
  EXPECT_EQ(r.error(), Errno::kENOMEM);
  EXPECT_EQ(as_->FindVma(a)->prot, prot::kRead);
  EXPECT_EQ(as_->FindVma(0x102000)->prot, prot::kRead | prot::kWrite);
}

TEST_F(AddressSpaceTest, FixedReplacesAndFixedNoReplaceRefuses) {
  u64 a = MapAnon(2 * kPageSize);
  ASSERT_TRUE(Write(*as_, a, "old"));
  MapRequest r;
  r.addr = a;
  r.length = kPageSize;
  r.prot = prot::kRead;
  r.map_flags = map::kFixedNoReplace;
  EXPECT_EQ(as_->Map(r).error(), Errno::kEEXIST);
  r.map_flags = map::kFixed;
  EXPECT_EQ(as_->Map(r).value(), a);
  EXPECT_EQ(Read(*as_, a, 3), std::string(3, '\0'));
  EXPECT_EQ(as_->vmas().size(), 2u);
}

TEST_F(AddressSpaceTest, RemapGrowsInPlaceOrMovesWithContents) {
  u64 a = MapAnon(kPageSize);
  ASSERT_TRUE(Write(*as_, a, "moving"));
  // Something right after it: growing must move.
  MapAnon(kPageSize, prot::kRead, map::kFixed, a + kPageSize);
  EXPECT_EQ(as_->Remap(a, kPageSize, 2 * kPageSize, 0, 0).error(), Errno::kENOMEM);
  u64 b = as_->Remap(a, kPageSize, 3 * kPageSize, mremap::kMayMove, 0).value();
  EXPECT_NE(b, a);
  EXPECT_EQ(Read(*as_, b, 6), "moving");
  EXPECT_EQ(Read(*as_, a, 1), "<SEGV>");
  EXPECT_TRUE(Write(*as_, b + 2 * kPageSize, "tail"));
  // Shrinking in place.
  EXPECT_EQ(as_->Remap(b, 3 * kPageSize, kPageSize, 0, 0).value(), b);
  EXPECT_EQ(Read(*as_, b + kPageSize, 1), "<SEGV>");
  EXPECT_EQ(as_->Remap(b + kPageSize, kPageSize, kPageSize, 0, 0).error(), Errno::kEFAULT);
}

TEST_F(AddressSpaceTest, BrkGrowsShrinksAndStopsBeforeOtherMappings) {
  const u64 start = 0x400000;
  as_->SetBrkStart(start);
  EXPECT_EQ(as_->Brk(0), start);
  EXPECT_EQ(as_->Brk(start + 10), start + 10);
  ASSERT_TRUE(Write(*as_, start, "heap"));
  EXPECT_EQ(as_->Brk(start + 3 * kPageSize), start + 3 * kPageSize);
  EXPECT_EQ(as_->vmas().size(), 1u);
  // A mapping 2 pages further: the heap may not reach its guard page.
  MapAnon(kPageSize, prot::kRead, map::kFixed, start + 5 * kPageSize);
  EXPECT_EQ(as_->Brk(start + 5 * kPageSize), start + 3 * kPageSize);
  EXPECT_EQ(as_->Brk(start + 4 * kPageSize), start + 4 * kPageSize);
  EXPECT_EQ(as_->Brk(start + kPageSize), start + kPageSize);
  EXPECT_EQ(Read(*as_, start + 2 * kPageSize, 1), "<SEGV>");
  EXPECT_EQ(Read(*as_, start, 4), "heap");
  EXPECT_EQ(as_->Brk(start - 1), start + kPageSize) << "below the start: unchanged";
}

TEST_F(AddressSpaceTest, StackGrowsDownButNotIntoTheGuardGap) {
  const u64 top = 0x7000'0000;
  MapRequest r;
  r.addr = top - kPageSize;
  r.length = kPageSize;
  r.prot = prot::kRead | prot::kWrite;
  r.map_flags = map::kFixed | map::kGrowsDown;
  ASSERT_TRUE(as_->Map(r).ok());
  EXPECT_TRUE(Write(*as_, top - 10 * kPageSize, "grow"));
  EXPECT_EQ(as_->FindVma(top - kPageSize)->start(), top - 10 * kPageSize);
  // A mapping just below: the stack stops a guard gap above it.
  MapAnon(kPageSize, prot::kRead, map::kFixed, top - 10 * kPageSize - kStackGuardGap - kPageSize);
  EXPECT_FALSE(Write(*as_, top - 11 * kPageSize, "x"));
  // Top-down placement avoids the guard gap as well.
  as_->set_mmap_base(top);
  u64 a = MapAnon(kPageSize);
  EXPECT_LE(a + kPageSize, top - 10 * kPageSize - kStackGuardGap);
}

TEST_F(AddressSpaceTest, DontNeedDropsPrivatePagesButNotSharedOnes) {
  u64 priv = MapAnon(kPageSize);
  u64 shared = MapAnon(kPageSize, prot::kRead | prot::kWrite, 0, 0, true);
  ASSERT_TRUE(Write(*as_, priv, "gone"));
  ASSERT_TRUE(Write(*as_, shared, "kept"));
  ASSERT_TRUE(as_->Advise(priv, kPageSize, madv::kDontNeed).ok());
  ASSERT_TRUE(as_->Advise(shared, kPageSize, madv::kDontNeed).ok());
  EXPECT_EQ(Read(*as_, priv, 4), std::string(4, '\0'));
  EXPECT_EQ(Read(*as_, shared, 4), "kept");
  EXPECT_EQ(as_->Advise(priv, kPageSize, madv::kRemove).error(), Errno::kEINVAL);
  EXPECT_EQ(as_->Advise(priv, kPageSize, 99).error(), Errno::kEINVAL);
  EXPECT_EQ(as_->Advise(priv + 1, kPageSize, madv::kNormal).error(), Errno::kEINVAL);
  EXPECT_EQ(as_->Advise(0x1000, kPageSize, madv::kNormal).error(), Errno::kENOMEM);
}

TEST_F(AddressSpaceTest, DontForkAndWipeOnFork) {
  u64 skip = MapAnon(kPageSize);
  u64 wipe = MapAnon(kPageSize, prot::kRead | prot::kWrite, map::kFixed, skip - 2 * kPageSize);
  ASSERT_TRUE(Write(*as_, skip, "a"));
  ASSERT_TRUE(Write(*as_, wipe, "b"));
  ASSERT_TRUE(as_->Advise(skip, kPageSize, madv::kDontFork).ok());
  ASSERT_TRUE(as_->Advise(wipe, kPageSize, madv::kWipeOnFork).ok());
  auto child = as_->Fork().value();
  EXPECT_EQ(Read(*child, skip, 1), "<SEGV>");
  EXPECT_EQ(Read(*child, wipe, 1), std::string(1, '\0'));
  EXPECT_EQ(Read(*as_, wipe, 1), "b");
}

TEST_F(AddressSpaceTest, PopulateMapsEveryPage) {
  u64 a = MapAnon(8 * kPageSize, prot::kRead | prot::kWrite, map::kPopulate);
  EXPECT_EQ(as_->CountMappedPages(), 8u);
  int faults = 0;
  ASSERT_TRUE(Write(*as_, a + 5 * kPageSize, "no fault", &faults));
  EXPECT_EQ(faults, 0);
}

TEST_F(AddressSpaceTest, ForkUnderMemoryPressureFailsCleanly) {
  u64 a = MapAnon(64 * kPageSize, prot::kRead | prot::kWrite, map::kPopulate);
  ASSERT_TRUE(Write(*as_, a, "survives"));
  const usize before = GetPhysStats().free_pages;
  int failures = 0;
  for (usize n = 0; n < 16; ++n) {
    FailPageAllocAfter(n);
    auto child = as_->Fork();
    ClearPageAllocFailure();
    if (child.is_error()) {
      ++failures;
      EXPECT_EQ(child.error(), Errno::kENOMEM);
    }
    child = Errno::kENOMEM;  // drop the child if there was one
    EXPECT_EQ(GetPhysStats().free_pages, before) << "after failing at allocation " << n;
    EXPECT_EQ(Read(*as_, a, 8), "survives");
  }
  EXPECT_GT(failures, 0);
  as_->Verify();
}

}  // namespace
}  // namespace kernel::mm
