// Native mode's mechanism, bottom up: hand-assembled user code in a stub, the traps it
// produces, lazy mirroring and shootdowns, registers, FS base and FPU state.
#include <signal.h>
#include <sys/syscall.h>

#include "tests/sim_native/native_fixture.h"

USER_CODE(syscall_args,
          "mov $39, %eax\n mov $1, %edi\n mov $2, %esi\n mov $3, %edx\n mov $4, %r10d\n"
          "mov $5, %r8d\n mov $6, %r9d\n syscall\n"
          "mov %rax, %rdi\n mov $60, %eax\n syscall\n");
USER_CODE(read_data, "movabs $0x10000000, %rbx\n mov (%rbx), %rdi\n mov $1, %eax\n syscall\n");
USER_CODE(write_data, "movabs $0x10000000, %rbx\n movq $0x5a5a, (%rbx)\n mov $2, %eax\n syscall\n");
USER_CODE(jump_rdi, "jmp *%rdi\n");
USER_CODE(read_fs, "mov %fs:8, %rdi\n mov $3, %eax\n syscall\n");
USER_CODE(fpu_swap,
          "movq %xmm0, %rdi\n movabs $0x1122334455667788, %rax\n movq %rax, %xmm1\n"
          "mov $4, %eax\n syscall\n");
USER_CODE(faults, "ud2\n");
USER_CODE(int3, "int3\n nop\n");
USER_CODE(divide, "xor %ecx, %ecx\n mov $1, %eax\n cqto\n idiv %rcx\n");
USER_CODE(privileged, "hlt\n");
USER_CODE(noncanonical, "movabs $0x8000000000000000, %rax\n jmp *%rax\n");
USER_CODE(rdtsc_twice,
          "rdtsc\n shl $32, %rdx\n or %rax, %rdx\n mov %rdx, %rdi\n"
          "rdtsc\n shl $32, %rdx\n or %rax, %rdx\n mov %rdx, %rsi\n mov $5, %eax\n syscall\n");
USER_CODE(read_loop,
          // Reads the first qword of 16 consecutive pages from kData, summing into rdi.
          "movabs $0x10000000, %rbx\n xor %edi, %edi\n mov $16, %ecx\n"
          "1: add (%rbx), %rdi\n add $4096, %rbx\n dec %ecx\n jnz 1b\n mov $6, %eax\n syscall\n");
USER_CODE(read_control,
          "movabs $0x7ffffb001000, %rbx\n mov (%rbx), %rdi\n mov $7, %eax\n syscall\n");

namespace sim_native_test {
namespace {

using hal::Trap;
using hal::TrapKind;
namespace pf = hal::pf;
namespace vec = hal::vec;

TEST_F(NativeTest, SyscallTrapCarriesNumberAndArguments) {
  LoadCode(syscall_args_begin, syscall_args_end);
  EXPECT_EQ(RunToSyscall(), 39u);
  EXPECT_EQ(ctx_.regs.orig_rax, 39u);
  EXPECT_EQ(ctx_.regs.rdi, 1u);
  EXPECT_EQ(ctx_.regs.rsi, 2u);
  EXPECT_EQ(ctx_.regs.rdx, 3u);
  EXPECT_EQ(ctx_.regs.r10, 4u);
  EXPECT_EQ(ctx_.regs.r8, 5u);
  EXPECT_EQ(ctx_.regs.r9, 6u);
  // rip is past the syscall instruction; the instruction itself put rip in rcx, rflags in r11.
  EXPECT_EQ(ctx_.regs.rcx, ctx_.regs.rip);
  const size_t at = ctx_.regs.rip - kCode;
  ASSERT_GE(at, 2u);
  EXPECT_EQ(syscall_args_begin[at - 2], 0x0f);
  EXPECT_EQ(syscall_args_begin[at - 1], 0x05);
  EXPECT_EQ(ctx_.regs.cs, 0x33u);
  // The kernel's result comes back in rax.
  ctx_.regs.rax = 1234;
  EXPECT_EQ(RunToSyscall(), 60u);
  EXPECT_EQ(ctx_.regs.rdi, 1234u);
  EXPECT_EQ(mode_->stats().syscalls, 2u);
}

TEST_F(NativeTest, NotPresentReadIsAPageFaultThenAFill) {
  LoadCode(read_data_begin, read_data_end);
  Trap t = Run();
  ASSERT_EQ(t.kind, TrapKind::kPageFault);
  EXPECT_EQ(t.vector, vec::kPageFault);
  EXPECT_EQ(t.address, kData);
  EXPECT_EQ(t.error_code, pf::kUser);    // not present, read, user
  EXPECT_EQ(ctx_.regs.rip, kCode + 10);  // at the faulting instruction
  // The kernel maps the page; the retry is resolved by a fill without another kernel trap.
  kernel::PhysAddr pa = MapPage(kData, kUserRw);
  std::memcpy(Bytes(pa), "\x2a\0\0\0\0\0\0\0", 8);
  EXPECT_EQ(RunToSyscall(), 1u);
  EXPECT_EQ(ctx_.regs.rdi, 42u);
  EXPECT_EQ(mode_->stats().page_faults, 1u);
}

TEST_F(NativeTest, WriteToReadOnlyPageFaultsWithPresentAndWrite) {
  LoadCode(write_data_begin, write_data_end);
  kernel::PhysAddr pa = MapPage(kData, kUserRo);
  Trap t = Run();
  ASSERT_EQ(t.kind, TrapKind::kPageFault);
  EXPECT_EQ(t.address, kData);
  EXPECT_EQ(t.error_code, pf::kPresent | pf::kWrite | pf::kUser);
  // The kernel makes it writable (as after a copy-on-write break); the write lands in the frame.
  ASSERT_TRUE(hal::Mmu::Protect(root_, kData, kUserRw).ok());
  EXPECT_EQ(RunToSyscall(), 2u);
  EXPECT_EQ(Bytes(pa)[0], 0x5a);
  EXPECT_EQ(Bytes(pa)[1], 0x5a);
}

TEST_F(NativeTest, NotPresentWriteIsReportedAndTheRetryTellsTheWrite) {
  LoadCode(write_data_begin, write_data_end);
  Trap t = Run();
  ASSERT_EQ(t.kind, TrapKind::kPageFault);
  // Not mirrored, not present: the tracer cannot know it was a write; the kernel maps the page
  // read-only (a read fault would), and the retry shows the write.
  EXPECT_EQ(t.error_code & pf::kPresent, 0u);
  MapPage(kData, kUserRo);
  t = Run();
  ASSERT_EQ(t.kind, TrapKind::kPageFault);
  EXPECT_EQ(t.error_code, pf::kPresent | pf::kWrite | pf::kUser);
}

TEST_F(NativeTest, ExecuteFromNoExecutePageIsAnInstructionFault) {
  LoadCode(jump_rdi_begin, jump_rdi_end);
  MapPage(kData, kUserRw);
  ctx_.regs.rdi = kData;
  Trap t = Run();
  ASSERT_EQ(t.kind, TrapKind::kPageFault);
  EXPECT_EQ(t.address, kData);
  EXPECT_EQ(t.error_code, pf::kPresent | pf::kInstruction | pf::kUser);
  EXPECT_EQ(ctx_.regs.rip, kData);
}

TEST_F(NativeTest, JumpToUnmappedOrGarbageAddresses) {
  LoadCode(jump_rdi_begin, jump_rdi_end);
  ctx_.regs.rdi = 0;
  Trap t = Run();
  ASSERT_EQ(t.kind, TrapKind::kPageFault);
  EXPECT_EQ(t.address, 0u);
  EXPECT_EQ(t.error_code, pf::kInstruction | pf::kUser);
  // A kernel-half address: a protection fault, as the hardware reports supervisor pages.
  ctx_.regs.rip = kCode;
  ctx_.regs.rdi = 0xffff'8880'0000'0000ull;
  t = Run();
  ASSERT_EQ(t.kind, TrapKind::kPageFault);
  EXPECT_EQ(t.error_code, pf::kPresent | pf::kInstruction | pf::kUser);
}

TEST_F(NativeTest, NonCanonicalJumpIsGeneralProtection) {
  LoadCode(noncanonical_begin, noncanonical_end);
  Trap t = Run();
  ASSERT_EQ(t.kind, TrapKind::kFault);
  EXPECT_EQ(t.vector, vec::kGeneralProtection);
}

TEST_F(NativeTest, ExceptionsBecomeTheirVectors) {
  LoadCode(faults_begin, faults_end);
  Trap t = Run();
  ASSERT_EQ(t.kind, TrapKind::kFault);
  EXPECT_EQ(t.vector, vec::kInvalidOpcode);
  EXPECT_EQ(ctx_.regs.rip, kCode);

  LoadCode(int3_begin, int3_end, kCode + 0x1000);
  t = Run();
  ASSERT_EQ(t.kind, TrapKind::kFault);
  EXPECT_EQ(t.vector, vec::kBreakpoint);
  EXPECT_EQ(ctx_.regs.rip, kCode + 0x1001);  // after the int3, as the hardware leaves it

  LoadCode(divide_begin, divide_end, kCode + 0x2000);
  t = Run();
  ASSERT_EQ(t.kind, TrapKind::kFault);
  EXPECT_EQ(t.vector, vec::kDivide);

  LoadCode(privileged_begin, privileged_end, kCode + 0x3000);
  t = Run();
  ASSERT_EQ(t.kind, TrapKind::kFault);
  EXPECT_EQ(t.vector, vec::kGeneralProtection);
  EXPECT_EQ(mode_->stats().faults, 4u);
}

TEST_F(NativeTest, UnmapDropsTheMirror) {
  LoadCode(read_data_begin, read_data_end);
  kernel::PhysAddr a = MapPage(kData, kUserRw);
  Bytes(a)[0] = 7;
  EXPECT_EQ(RunToSyscall(), 1u);
  EXPECT_EQ(ctx_.regs.rdi, 7u);
  // Another frame at the same address: the stub must not keep reading the old one.
  Unmap(kData);
  kernel::PhysAddr b = MapPage(kData, kUserRw);
  Bytes(b)[0] = 9;
  ctx_.regs.rip = kCode;
  EXPECT_EQ(RunToSyscall(), 1u);
  EXPECT_EQ(ctx_.regs.rdi, 9u);
  // And no translation at all: a not-present fault.
  Unmap(kData);
  ctx_.regs.rip = kCode;
  Trap t = Run();
  ASSERT_EQ(t.kind, TrapKind::kPageFault);
  EXPECT_EQ(t.error_code, pf::kUser);
}

TEST_F(NativeTest, WriteAfterProtectReadOnlyFaults) {
  LoadCode(write_data_begin, write_data_end);
  kernel::PhysAddr pa = MapPage(kData, kUserRw);
  EXPECT_EQ(RunToSyscall(), 2u);  // mirrored writable, written
  EXPECT_EQ(Bytes(pa)[0], 0x5a);
  Bytes(pa)[0] = 0;
  ASSERT_TRUE(hal::Mmu::Protect(root_, kData, kUserRo).ok());
  ctx_.regs.rip = kCode;
  Trap t = Run();
  ASSERT_EQ(t.kind, TrapKind::kPageFault);
  EXPECT_EQ(t.error_code, pf::kPresent | pf::kWrite | pf::kUser);
  EXPECT_EQ(Bytes(pa)[0], 0);  // the write did not happen
  // PROT_NONE (mapped, not present) faults too.
  ASSERT_TRUE(hal::Mmu::Protect(root_, kData, hal::pte::kUser).ok());
  t = Run();
  ASSERT_EQ(t.kind, TrapKind::kPageFault);
  EXPECT_EQ(t.error_code & pf::kPresent, 0u);
}

TEST_F(NativeTest, FaultAroundMirrorsNeighbours) {
  LoadCode(read_loop_begin, read_loop_end);
  for (uint64_t i = 0; i < 16; ++i) Bytes(MapPage(kData + i * kPage, kUserRw))[0] = 1;
  EXPECT_EQ(RunToSyscall(), 6u);
  EXPECT_EQ(ctx_.regs.rdi, 16u);
  // One fill for the code, one for all 16 data pages (the default window is 16 pages).
  EXPECT_LE(mode_->stats().fills, 3u);
  EXPECT_EQ(mode_->stats().page_faults, 0u);
}

TEST_F(NativeTest, FsBaseAndFpuRoundTrip) {
  kernel::PhysAddr tls = MapPage(kData, kUserRw);
  std::memcpy(Bytes(tls) + 8, "\xef\xbe\xad\xde\0\0\0\0", 8);
  ctx_.regs.fs_base = kData;
  LoadCode(read_fs_begin, read_fs_end);
  EXPECT_EQ(RunToSyscall(), 3u);
  EXPECT_EQ(ctx_.regs.rdi, 0xdeadbeefu);
  EXPECT_EQ(ctx_.regs.fs_base, kData);

  // xmm0 goes in from the context; xmm1 comes out into it. XMM registers start at byte 160
  // of the FXSAVE image.
  const uint64_t x0 = 0x0102030405060708ull;
  std::memcpy(ctx_.fpu.bytes + 160, &x0, 8);
  mode_->RestoreFpu(ctx_);
  LoadCode(fpu_swap_begin, fpu_swap_end, kCode + 0x1000);
  EXPECT_EQ(RunToSyscall(), 4u);
  EXPECT_EQ(ctx_.regs.rdi, x0);
  mode_->SaveFpu(ctx_);
  uint64_t x1;
  std::memcpy(&x1, ctx_.fpu.bytes + 176, 8);
  EXPECT_EQ(x1, 0x1122334455667788ull);
  // A non-canonical FS base is refused before user mode, as a #GP.
  ctx_.regs.fs_base = 0x8000'0000'0000'0000ull;
  Trap t = Run();
  EXPECT_EQ(t.kind, TrapKind::kFault);
  EXPECT_EQ(t.vector, vec::kGeneralProtection);
}

TEST_F(NativeTest, FpuStateFollowsTasksAcrossStubs) {
  // Two address spaces (two stubs); the FPU state saved from one task goes into the other
  // task's stub only through Save/Restore, as the scheduler does on a switch.
  LoadCode(fpu_swap_begin, fpu_swap_end);
  hal::UserContext a = ctx_;
  EXPECT_EQ(RunToSyscall(), 4u);
  mode_->SaveFpu(ctx_);
  a = ctx_;

  hal::PageTableRoot other = NewSpace();
  hal::Mmu::Activate(other);
  MapPage(kStackTop - kPage, kUserRw, other);
  kernel::PhysAddr pa = MapPage(kCode, kUserRx, other);
  std::memcpy(Bytes(pa), fpu_swap_begin, static_cast<size_t>(fpu_swap_end - fpu_swap_begin));
  hal::UserContext b;
  std::memset(&b, 0, sizeof(b));
  hal::Cpu::InitFpu(b);
  const uint64_t xb = 0xabcdef;
  std::memcpy(b.fpu.bytes + 160, &xb, 8);
  b.regs = a.regs;
  b.regs.rip = kCode;
  mode_->RestoreFpu(b);
  ASSERT_EQ(mode_->Run(b).kind, TrapKind::kSyscall);
  EXPECT_EQ(b.regs.rdi, xb);
  EXPECT_NE(mode_->StubPid(other), mode_->StubPid(root_));
  mode_->SaveFpu(b);

  // Back to the first task: its own xmm0 again.
  hal::Mmu::Activate(root_);
  const uint64_t xa = 0x77;
  std::memcpy(a.fpu.bytes + 160, &xa, 8);
  mode_->RestoreFpu(a);
  a.regs.rip = kCode;
  ASSERT_EQ(mode_->Run(a).kind, TrapKind::kSyscall);
  EXPECT_EQ(a.regs.rdi, xa);
}

TEST_F(NativeTest, RdtscComesFromTheVirtualClockWhereTheHostLetsItFault) {
  LoadCode(rdtsc_twice_begin, rdtsc_twice_end);
  EXPECT_EQ(RunToSyscall(), 5u);
  const uint64_t first = ctx_.regs.rdi, second = ctx_.regs.rsi;
  if (mode_->rdtsc_faults()) {
    // 1 GHz by default: TSC = virtual nanoseconds; each read is a trap boundary (1000 ns).
    EXPECT_EQ(second - first, 1000u);
    EXPECT_LE(second, hal::Clock::MonotonicNs());
    EXPECT_EQ(mode_->stats().emulated, 2u);
  } else {
    // PR_SET_TSC accepted but not enforced (seen under some hypervisors): the probe said so,
    // and indeed the host TSC came through, untouched and far beyond the virtual clock.
    RecordProperty("rdtsc", "not interceptable on this host");
    EXPECT_GT(second, first);
    EXPECT_GT(first, hal::Clock::MonotonicNs());
    EXPECT_EQ(mode_->stats().emulated, 0u);
  }
}

TEST_F(NativeTest, ControlAreaMovesOutOfAUserMappingsWay) {
  const uint64_t base = hal::hostsim::native::kDefaultControlBase;
  LoadCode(read_data_begin, read_data_end);
  MapPage(kData, kUserRw);
  EXPECT_EQ(RunToSyscall(), 1u);
  EXPECT_EQ(mode_->ControlBase(root_), base);
  // A user page where the control area is: user code must read the page, not the stub's code.
  kernel::PhysAddr pa = MapPage(base + kPage, kUserRw);
  std::memcpy(Bytes(pa), "\x11\x22\0\0\0\0\0\0", 8);
  LoadCode(read_control_begin, read_control_end, kCode + 0x1000);
  EXPECT_EQ(RunToSyscall(), 7u);
  EXPECT_EQ(ctx_.regs.rdi, 0x2211u);
  EXPECT_NE(mode_->ControlBase(root_), base);
  EXPECT_EQ(mode_->stats().relocations, 1u);
}

TEST_F(NativeTest, StubKilledFromOutsideIsAMachineCheckAndAFreshStub) {
  LoadCode(syscall_args_begin, syscall_args_end);
  EXPECT_EQ(RunToSyscall(), 39u);
  pid_t pid = mode_->StubPid(root_);
  ASSERT_GT(pid, 0);
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  Trap t = Run();
  ASSERT_EQ(t.kind, TrapKind::kFault);
  EXPECT_EQ(t.vector, vec::kMachineCheck);
  EXPECT_EQ(mode_->stats().stub_deaths, 1u);
  // The address space lives on in the page tables: a new stub picks it up.
  ctx_.regs.rip = kCode;
  EXPECT_EQ(RunToSyscall(), 39u);
  EXPECT_NE(mode_->StubPid(root_), pid);
}

TEST_F(NativeTest, DestroyedSpacesGiveTheirStubsToThePool) {
  LoadCode(syscall_args_begin, syscall_args_end);
  EXPECT_EQ(RunToSyscall(), 39u);
  const size_t live = mode_->live_stubs();
  pid_t pid = mode_->StubPid(root_);
  hal::Mmu::Activate({});
  DestroySpace(root_);
  spaces_.erase(spaces_.begin());
  EXPECT_EQ(mode_->live_stubs(), live);  // pooled, not killed
  // The next address space reuses it, empty: its old code page is not there any more.
  root_ = NewSpace();
  hal::Mmu::Activate(root_);
  MapPage(kStackTop - kPage, kUserRw);
  ctx_.regs.rip = kCode;
  Trap t = Run();
  ASSERT_EQ(t.kind, TrapKind::kPageFault);
  EXPECT_EQ(t.address, kCode);
  EXPECT_EQ(mode_->StubPid(root_), pid);
  EXPECT_GE(mode_->stats().stubs_reused, 1u);
}

TEST_F(NativeTest, StubsAreStrippedAndDieWithTheMode) {
  LoadCode(syscall_args_begin, syscall_args_end);
  EXPECT_EQ(RunToSyscall(), 39u);
  pid_t pid = mode_->StubPid(root_);
  // Only the two control pages (and the vsyscall page the host puts everywhere) and the
  // mirrored user pages: no host vDSO, vvar, heap or stack.
  std::string maps;
  {
    FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/maps").c_str(), "r");
    ASSERT_NE(f, nullptr);
    char line[512];
    while (std::fgets(line, sizeof(line), f) != nullptr) maps += line;
    std::fclose(f);
  }
  EXPECT_EQ(maps.find("[vdso]"), std::string::npos) << maps;
  EXPECT_EQ(maps.find("[vvar]"), std::string::npos) << maps;
  EXPECT_EQ(maps.find("[heap]"), std::string::npos) << maps;
  EXPECT_EQ(maps.find("[stack]"), std::string::npos) << maps;
  EXPECT_NE(maps.find("aramid-phys"), std::string::npos) << maps;
  EXPECT_NE(maps.find("aramid-stub"), std::string::npos) << maps;
  TearDown();
  EXPECT_EQ(kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
  SetUp();
}

}  // namespace
}  // namespace sim_native_test
