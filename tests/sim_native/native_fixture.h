#pragma once
// A fixture for testing native mode's mechanism without the kernel's processes: one address
// space made by hand with hal::Mmu, hand-assembled user code mapped into it, and
// NativeUserMode::Run called directly, as Cpu::EnterUser would.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <hal/clock.h>
#include <hal/cpu.h>
#include <hal/mmu.h>
#include <hal/phys.h>

#include "hal/hostsim/native/native_user_mode.h"
#include "kernel/mm/page_alloc.h"

// USER_CODE(name, "instructions"): assembles user code into the test binary and declares
// name_begin/name_end around it. The code is copied to a user page, so it must be position
// independent (absolute addresses only as immediates).
#define USER_CODE(name, body)                                                                     \
  __asm__(".pushsection .rodata.usercode, \"a\"\n.globl " #name "_begin\n" #name "_begin:\n" body \
          "\n.globl " #name "_end\n" #name "_end:\n.popsection\n");                               \
  extern "C" const uint8_t name##_begin[];                                                        \
  extern "C" const uint8_t name##_end[]

namespace sim_native_test {

using hal::hostsim::native::NativeOptions;
using hal::hostsim::native::NativeUserMode;

inline constexpr uint64_t kCode = 0x400000;
inline constexpr uint64_t kData = 0x10000000;
inline constexpr uint64_t kStackTop = 0x7fff'ffff'f000;
inline constexpr uint64_t kPage = 4096;

inline constexpr uint64_t kUserRw =
    hal::pte::kPresent | hal::pte::kUser | hal::pte::kWritable | hal::pte::kNoExecute;
inline constexpr uint64_t kUserRo = hal::pte::kPresent | hal::pte::kUser | hal::pte::kNoExecute;
inline constexpr uint64_t kUserRx = hal::pte::kPresent | hal::pte::kUser;

class NativeTest : public ::testing::Test {
 protected:
  virtual NativeOptions Options() {
    NativeOptions o;
    o.preempt_ns = 0;  // tests of preemption ask for it
    return o;
  }

  void SetUp() override {
    std::string error;
    mode_ = NativeUserMode::Create(Options(), &error);
    ASSERT_NE(mode_, nullptr) << error;
    mode_->Install();
    root_ = NewSpace();
    hal::Mmu::Activate(root_);
    std::memset(&ctx_, 0, sizeof(ctx_));
    hal::Cpu::InitFpu(ctx_);
    mode_->RestoreFpu(ctx_);
    MapPage(kStackTop - kPage, kUserRw);
    ctx_.regs.rsp = kStackTop - 64;
    ctx_.regs.eflags = 0x202;
  }

  void TearDown() override {
    hal::Mmu::Activate({});
    for (hal::PageTableRoot r : spaces_) DestroySpace(r);
    spaces_.clear();
    mode_.reset();
  }

  hal::PageTableRoot NewSpace() {
    auto r = hal::Mmu::CreateAddressSpace();
    EXPECT_TRUE(r.ok());
    spaces_.push_back(r.value());
    return r.value();
  }

  static bool FreeFrame(void*, uint64_t, const hal::Translation& t) {
    kernel::mm::FreePage(t.phys);
    return true;
  }

  void DestroySpace(hal::PageTableRoot r) {
    (void)hal::Mmu::UnmapRange(r, hal::kUserMin, hal::kUserEnd - hal::kUserMin, &FreeFrame,
                               nullptr);
    hal::Mmu::DestroyAddressSpace(r);
  }

  uint8_t* Bytes(kernel::PhysAddr pa) { return static_cast<uint8_t*>(hal::Phys::ToVirt(pa)); }

  kernel::PhysAddr MapPage(uint64_t va, uint64_t flags, hal::PageTableRoot root = {}) {
    if (!root.valid()) root = root_;
    auto pa = kernel::mm::AllocZeroedPage();
    EXPECT_TRUE(pa.ok());
    EXPECT_TRUE(hal::Mmu::Map(root, va, pa.value(), flags).ok());
    return pa.value();
  }

  void Unmap(uint64_t va, hal::PageTableRoot root = {}) {
    if (!root.valid()) root = root_;
    auto t = hal::Mmu::Unmap(root, va);
    ASSERT_TRUE(t.ok());
    kernel::mm::FreePage(t.value().phys);
  }

  // Maps the code at kCode (read + execute) and points rip at it.
  void LoadCode(const uint8_t* begin, const uint8_t* end, uint64_t va = kCode) {
    size_t n = static_cast<size_t>(end - begin);
    for (size_t off = 0; off < n; off += kPage) {
      kernel::PhysAddr pa = MapPage(va + off, kUserRx);
      std::memcpy(Bytes(pa), begin + off, std::min<size_t>(kPage, n - off));
    }
    ctx_.regs.rip = va;
  }

  hal::Trap Run() { return mode_->Run(ctx_); }

  // Runs until a system call and returns its number (skipping nothing else).
  uint64_t RunToSyscall() {
    hal::Trap t = Run();
    EXPECT_EQ(t.kind, hal::TrapKind::kSyscall)
        << "vector " << int(t.vector) << " address " << std::hex << t.address << " error "
        << t.error_code << " rip " << ctx_.regs.rip;
    return ctx_.regs.rax;
  }

  std::unique_ptr<NativeUserMode> mode_;
  hal::PageTableRoot root_;
  std::vector<hal::PageTableRoot> spaces_;
  hal::UserContext ctx_;
};

}  // namespace sim_native_test
