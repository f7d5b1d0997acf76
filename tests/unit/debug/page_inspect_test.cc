#include "kernel/debug/page_inspect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>

#include <hal/mmu.h>
#include <hal/phys.h>

#include "kernel/mm/page_alloc.h"

namespace kernel::debug {
namespace {

constexpr u64 kVa = 0x40'1000;  // PML4 0, PDPT 0, PD 2, PT 1

void Capture(void* ctx, const char* text, usize n) {
  static_cast<std::string*>(ctx)->append(text, n);
}

class PageInspectTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ = hal::Mmu::CreateAddressSpace().value();
    page_ = mm::AllocZeroedPage().value();
    std::memcpy(static_cast<u8*>(hal::Phys::ToVirt(page_)) + 0x20, "hello, inspector", 16);
  }
  void TearDown() override {
    hal::Mmu::DestroyAddressSpace(root_);
    mm::PutPage(page_);
  }
  InspectResult Inspect(u64 va, usize dump = 64) {
    text_.clear();
    InspectOptions o;
    o.dump_bytes = dump;
    o.sink = &Capture;
    o.sink_ctx = &text_;
    return InspectAddress(root_, va, o);
  }
  bool Has(const std::string& s) const { return text_.find(s) != std::string::npos; }

  hal::PageTableRoot root_;
  PhysAddr page_ = 0;
  std::string text_;
};

TEST_F(PageInspectTest, PresentPageShowsEveryLevelFlagsAndBytes) {
  ASSERT_TRUE(
      hal::Mmu::Map(root_, kVa, page_, hal::pte::kPresent | hal::pte::kUser | hal::pte::kNoExecute)
          .ok());
  InspectResult r = Inspect(kVa + 0x25);
  EXPECT_EQ(r.entries, 4);
  EXPECT_TRUE(r.present);
  EXPECT_EQ(r.leaf_level, 0);
  EXPECT_EQ(r.phys, page_ + 0x25);
  EXPECT_TRUE(Has("PML4E [  0]")) << text_;
  EXPECT_TRUE(Has("PDPTE [  0]")) << text_;
  EXPECT_TRUE(Has("PDE   [  2]")) << text_;
  EXPECT_TRUE(Has("PTE   [  1]")) << text_;
  EXPECT_TRUE(Has("P U NX\n")) << "a read-only, no-execute user leaf:\n" << text_;
  EXPECT_TRUE(Has("P W U\n")) << "intermediate entries:\n" << text_;
  // The dump starts at the 16-byte line holding the address and shows the bytes there.
  EXPECT_TRUE(Has("0000000000401020: 68 65 6c 6c 6f 2c 20 69 6e 73 70 65 63 74 6f 72")) << text_;
  EXPECT_TRUE(Has("|hello, inspector|")) << text_;
  EXPECT_EQ(std::count(text_.begin(), text_.end(), '|'), 8) << "64 bytes: 4 lines";
}

TEST_F(PageInspectTest, WholePageDumpWrapsWithinThePage) {
  ASSERT_TRUE(hal::Mmu::Map(root_, kVa, page_, hal::pte::kPresent | hal::pte::kUser).ok());
  Inspect(kVa + 0xff0, kPageSize);
  EXPECT_EQ(std::count(text_.begin(), text_.end(), '\n'), 4 + 2 + 256) << text_;
  EXPECT_TRUE(Has("0000000000401ff0:")) << text_;
  EXPECT_TRUE(Has("0000000000401000:")) << "wrapped to the page's start";
}

TEST_F(PageInspectTest, UnmappedStopsAtTheFirstEmptyEntry) {
  InspectResult r = Inspect(kVa);
  EXPECT_EQ(r.entries, 1) << "an empty PML4 entry ends the walk";
  EXPECT_FALSE(r.present);
  EXPECT_TRUE(Has("not mapped")) << text_;
}

TEST_F(PageInspectTest, ProtNoneLeafIsMappedButNotPresent) {
  ASSERT_TRUE(hal::Mmu::Map(root_, kVa, page_, hal::pte::kUser).ok());  // no kPresent
  InspectResult r = Inspect(kVa);
  EXPECT_EQ(r.entries, 4);
  EXPECT_FALSE(r.present);
  EXPECT_EQ(r.leaf_level, 0);
  EXPECT_EQ(r.leaf_entry & hal::pte::kAddressMask, page_);
  EXPECT_TRUE(Has("mapped but not present")) << text_;
}

TEST_F(PageInspectTest, NonCanonicalAndCorruptEntriesEndTheWalkCleanly) {
  InspectResult r = Inspect(0x0000'8000'0000'0000ull);
  EXPECT_EQ(r.entries, 0);
  EXPECT_TRUE(Has("not canonical")) << text_;
  // A PML4 entry pointing past the end of memory: reported, never followed.
  auto* pml4 = static_cast<u64*>(hal::Phys::ToVirt(root_.pml4));
  pml4[5] = (hal::Phys::PhysEnd() + kPageSize) | hal::pte::kPresent | hal::pte::kUser;
  r = Inspect(u64{5} << 39);
  pml4[5] = 0;
  EXPECT_EQ(r.entries, 1);
  EXPECT_TRUE(Has("outside physical memory")) << text_;
}

}  // namespace
}  // namespace kernel::debug
