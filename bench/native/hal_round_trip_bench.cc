// The ptrace floor of native mode, without the kernel: a stub executing `syscall` in a loop,
// resumed by NativeUserMode::Run each time (GETREGS + SETREGS + PTRACE_SYSEMU + waitpid), and
// the cost of making a stub. Compare with native_kernel_bench.cc's figures, which add the
// kernel's dispatch, scheduling and mirroring.
#include <benchmark/benchmark.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <string>

#include <hal/cpu.h>
#include <hal/mmu.h>
#include <hal/phys.h>

#include "hal/hostsim/native/native_user_mode.h"
#include "kernel/mm/page_alloc.h"

__asm__(R"(
  .pushsection .rodata.benchcode, "a"
  .globl bench_syscall_loop_begin
bench_syscall_loop_begin:
1: mov $39, %eax
  syscall
  jmp 1b
  .globl bench_syscall_loop_end
bench_syscall_loop_end:
  .popsection
)");
extern "C" const uint8_t bench_syscall_loop_begin[], bench_syscall_loop_end[];

namespace {

using hal::hostsim::native::NativeOptions;
using hal::hostsim::native::NativeUserMode;

struct Harness {
  std::unique_ptr<NativeUserMode> mode;
  hal::PageTableRoot root;
  hal::UserContext ctx;

  explicit Harness(NativeOptions options = {}) {
    std::string error;
    mode = NativeUserMode::Create(options, &error);
    if (mode == nullptr) {
      std::fprintf(stderr, "native_bench: %s\n", error.c_str());
      std::exit(1);
    }
    mode->Install();
    root = hal::Mmu::CreateAddressSpace().value();
    hal::Mmu::Activate(root);
    kernel::PhysAddr code = kernel::mm::AllocZeroedPage().value();
    std::memcpy(hal::Phys::ToVirt(code), bench_syscall_loop_begin,
                static_cast<size_t>(bench_syscall_loop_end - bench_syscall_loop_begin));
    (void)hal::Mmu::Map(root, 0x400000, code, hal::pte::kPresent | hal::pte::kUser);
    std::memset(&ctx, 0, sizeof(ctx));
    hal::Cpu::InitFpu(ctx);
    mode->RestoreFpu(ctx);
    ctx.regs.rip = 0x400000;
    ctx.regs.eflags = 0x202;
  }
  ~Harness() {
    hal::Mmu::Activate({});
    auto t = hal::Mmu::Unmap(root, 0x400000);
    if (t.ok()) kernel::mm::FreePage(t.value().phys);
    hal::Mmu::DestroyAddressSpace(root);
  }
};

// One intercepted system call: the stub's syscall stops it, the tracer reads the registers and
// writes them back (as the kernel's result would) and resumes it.
void BM_HalSyscallRoundTrip(benchmark::State& state) {
  Harness h;
  for (auto _ : state) {
    hal::Trap t = h.mode->Run(h.ctx);
    if (t.kind != hal::TrapKind::kSyscall) {
      std::fprintf(stderr, "trap %d vector %d addr %lx err %lx\n", int(t.kind), t.vector, t.address,
                   t.error_code);
      state.SkipWithError("not a system call trap");
      break;
    }
    h.ctx.regs.rax = 1;  // the "result"
  }
}
BENCHMARK(BM_HalSyscallRoundTrip)->Unit(benchmark::kMicrosecond);

// The same with the stubs not pinned to one CPU (the tracer and the stub may then run on
// different CPUs; each stop and resume is a cross-CPU wake-up).
void BM_HalSyscallRoundTripUnpinned(benchmark::State& state) {
  NativeOptions options;
  options.pin_stubs = false;
  Harness h(options);
  for (auto _ : state) {
    if (h.mode->Run(h.ctx).kind != hal::TrapKind::kSyscall) state.SkipWithError("not a syscall");
  }
}
BENCHMARK(BM_HalSyscallRoundTripUnpinned)->Unit(benchmark::kMicrosecond);

// A bare getpid on the host, for scale.
void BM_HostGetpid(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(syscall(SYS_getpid));
}
BENCHMARK(BM_HostGetpid);

// Forking a stub and stripping it (what a new address space costs without the pool).
void BM_StubSpawn(benchmark::State& state) {
  auto area = [] {
    std::string error;
    return hal::hostsim::native::StubArea::Create(&error);
  }();
  for (auto _ : state) {
    std::string error;
    auto stub = hal::hostsim::native::Stub::Spawn(
        *area, hal::hostsim::ArenaFd(), hal::hostsim::native::kDefaultControlBase, &error);
    if (stub == nullptr) state.SkipWithError(error.c_str());
  }
}
BENCHMARK(BM_StubSpawn)->Unit(benchmark::kMicrosecond);

}  // namespace
