// A small user address space for tests of system calls on hostsim: a few arena pages mapped
// user-writable at a fixed address and activated, so that the kernel's user copies (the
// software MMU walk) reach them. Test code fills and inspects the pages through the direct
// map. Everything else in the user half is unmapped: a pointer there is EFAULT.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include <hal/mmu.h>
#include <hal/phys.h>

#include "kernel/mm/page_alloc.h"

namespace kernel::testing {

class UserMemory {
 public:
  static constexpr u64 kBase = 0x10000000;

  explicit UserMemory(usize pages = 32) : pages_(pages) {
    previous_ = hal::Mmu::Active();
    root_ = hal::Mmu::CreateAddressSpace().value();
    for (usize i = 0; i < pages; ++i) {
      PhysAddr pa = mm::AllocZeroedPage().value();
      frames_.push_back(pa);
      EXPECT_TRUE(hal::Mmu::Map(root_, kBase + i * kPageSize, pa,
                                hal::pte::kPresent | hal::pte::kWritable | hal::pte::kUser)
                      .ok());
    }
    hal::Mmu::Activate(root_);
  }
  ~UserMemory() {
    hal::Mmu::Activate(previous_);
    (void)hal::Mmu::UnmapRange(root_, kBase, pages_ * kPageSize, nullptr, nullptr);
    hal::Mmu::DestroyAddressSpace(root_);
    for (PhysAddr pa : frames_) mm::FreePage(pa);
  }
  UserMemory(const UserMemory&) = delete;
  UserMemory& operator=(const UserMemory&) = delete;

  /// An address just past the mapped pages (EFAULT material).
  u64 end() const { return kBase + pages_ * kPageSize; }

  /// Reserves n zeroed bytes (16-aligned) and returns their user address.
  u64 Alloc(usize n) {
    u64 at = kBase + used_;
    used_ = (used_ + n + 15) & ~usize{15};
    EXPECT_LE(used_, pages_ * kPageSize) << "test user memory exhausted";
    return at;
  }
  /// Copies bytes into fresh user memory.
  u64 Put(const void* data, usize n) {
    u64 at = Alloc(n);
    Write(at, data, n);
    return at;
  }
  u64 PutString(const std::string& s) { return Put(s.c_str(), s.size() + 1); }
  template <typename T>
  u64 PutValue(const T& v) {
    return Put(&v, sizeof(T));
  }

  void Write(u64 addr, const void* data, usize n) {
    const auto* p = static_cast<const u8*>(data);
    for (usize i = 0; i < n; ++i) *Byte(addr + i) = p[i];
  }
  void Read(u64 addr, void* out, usize n) const {
    auto* p = static_cast<u8*>(out);
    for (usize i = 0; i < n; ++i) p[i] = *Byte(addr + i);
  }
  template <typename T>
  T Get(u64 addr) const {
    T v;
    Read(addr, &v, sizeof(T));
    return v;
  }
  std::string GetString(u64 addr, usize n) const {
    std::string s(n, '\0');
    Read(addr, s.data(), n);
    return s;
  }

 private:
  u8* Byte(u64 addr) const {
    usize off = addr - kBase;
    EXPECT_LT(off, pages_ * kPageSize);
    return static_cast<u8*>(hal::Phys::ToVirt(frames_[off / kPageSize])) + off % kPageSize;
  }

  usize pages_;
  usize used_ = 0;
  hal::PageTableRoot root_;
  hal::PageTableRoot previous_;
  std::vector<PhysAddr> frames_;
};

}  // namespace kernel::testing
