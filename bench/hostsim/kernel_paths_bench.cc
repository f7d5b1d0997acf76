// Kernel paths on hostsim (issue #7): each benchmark drives the real system calls and the
// software MMU through sim::Machine's scripted mode, so it times the same kernel code that
// runs on x86_64, without the emulator.
//   BM_StorePresent        a user store to a present page (the software MMU alone: the
//                          baseline the fault benchmarks include)
//   BM_PageFault           a user store that takes a demand-zero fault on a private
//                          anonymous page
//   BM_CowBreak            a user store in a fork child to a page the parent still maps
//                          (copy-on-write break)
//   BM_VmaLookup/<n>       mincore(2) of one page, chosen at random among n VMAs
//   BM_PathWalk/<depth>    newfstatat(2) of a file <depth> directories below the root
//   BM_PipeTransfer/<n>    write(2) then read(2) of n bytes through a pipe
// Own main(), as fork_bench: sim::BootHostMachine and one Machine for the whole run.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "kernel/fs/fs_context.h"
#include "kernel/fs/initramfs/initramfs.h"
#include "kernel/proc/task.h"
#include "sim/machine.h"

namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kRegionPages = 4096;  // 16 MiB a round for the fault benchmarks

sim::Machine* g_machine = nullptr;
sim::Pid g_init = 0;

sim::Machine& M() { return *g_machine; }

// A fresh process (a fork of init) for one benchmark; 0 with `why` set on failure.
sim::Pid NewProcess(std::string* why) {
  int64_t pid = M().Syscall(g_init, SYS_fork).value;
  if (pid <= 0) *why = "fork failed: " + std::to_string(pid);
  return pid > 0 ? static_cast<sim::Pid>(pid) : 0;
}

// Ends a process made by NewProcess (not timed).
void EndProcess(sim::Pid pid) {
  M().Syscall(pid, SYS_exit_group, 0);
  M().Syscall(g_init, SYS_wait4, pid, 0, 0, 0);
}

void BM_StorePresent(benchmark::State& state) {
  std::string why;
  sim::Pid pid = NewProcess(&why);
  if (pid == 0) return state.SkipWithError(why.c_str());
  int64_t a =
      M().Mmap(pid, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE);
  if (a < 0) return state.SkipWithError("mmap failed");
  for (auto _ : state) {
    sim::Outcome o = M().Store(pid, static_cast<uint64_t>(a), "x");
    if (!o.done() || o.faults != 0) {
      state.SkipWithError("a store to a present page faulted");
      break;
    }
  }
  EndProcess(pid);
}
BENCHMARK(BM_StorePresent);

void BM_PageFault(benchmark::State& state) {
  std::string why;
  sim::Pid pid = NewProcess(&why);
  if (pid == 0) return state.SkipWithError(why.c_str());
  const int prot = PROT_READ | PROT_WRITE, flags = MAP_PRIVATE | MAP_ANONYMOUS;
  int64_t base = M().Mmap(pid, kRegionPages * kPage, prot, flags);
  uint64_t next = 0;
  for (auto _ : state) {
    if (next == kRegionPages) {  // every page touched: a fresh region, outside the timing
      state.PauseTiming();
      M().Syscall(pid, SYS_munmap, static_cast<uint64_t>(base), kRegionPages * kPage);
      base = M().Mmap(pid, kRegionPages * kPage, prot, flags);
      next = 0;
      state.ResumeTiming();
    }
    if (base < 0) {
      state.SkipWithError("mmap failed");
      break;
    }
    sim::Outcome o = M().Store(pid, static_cast<uint64_t>(base) + next++ * kPage, "x");
    if (!o.done() || o.faults != 1) {
      state.SkipWithError("the first store to a page did not take exactly one fault");
      break;
    }
  }
  EndProcess(pid);
}
BENCHMARK(BM_PageFault);

void BM_CowBreak(benchmark::State& state) {
  std::string why;
  sim::Pid parent = NewProcess(&why);
  if (parent == 0) return state.SkipWithError(why.c_str());
  int64_t base = M().Mmap(parent, kRegionPages * kPage, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE);
  if (base < 0) return state.SkipWithError("mmap failed");
  sim::Pid child = 0;
  uint64_t next = kRegionPages;
  for (auto _ : state) {
    if (next == kRegionPages) {  // a new child whose every page is shared, outside the timing
      state.PauseTiming();
      if (child != 0) EndProcess(child);
      int64_t c = M().Syscall(parent, SYS_fork).value;
      child = c > 0 ? static_cast<sim::Pid>(c) : 0;
      next = 0;
      state.ResumeTiming();
      if (child == 0) {
        state.SkipWithError("fork failed");
        break;
      }
    }
    sim::Outcome o = M().Store(child, static_cast<uint64_t>(base) + next++ * kPage, "y");
    if (!o.done() || o.faults != 1) {
      state.SkipWithError("a store to a shared page did not take exactly one fault");
      break;
    }
  }
  if (child != 0) EndProcess(child);
  EndProcess(parent);
}
BENCHMARK(BM_CowBreak);

void BM_VmaLookup(benchmark::State& state) {
  const uint64_t vmas = static_cast<uint64_t>(state.range(0));
  std::string why;
  sim::Pid pid = NewProcess(&why);
  if (pid == 0) return state.SkipWithError(why.c_str());
  // One mapping, then every other page read-only: `vmas` VMAs that cannot merge.
  int64_t base = M().Mmap(pid, vmas * kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  if (base < 0) return state.SkipWithError("mmap failed");
  for (uint64_t i = 1; i < vmas; i += 2) {
    M().Syscall(pid, SYS_mprotect, static_cast<uint64_t>(base) + i * kPage, kPage, PROT_READ);
  }
  int64_t vec = M().Mmap(pid, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  uint64_t x = 88172645463325252ull;  // xorshift64: the same addresses every run
  for (auto _ : state) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    uint64_t addr = static_cast<uint64_t>(base) + (x % vmas) * kPage;
    if (M().Syscall(pid, SYS_mincore, addr, kPage, static_cast<uint64_t>(vec)).value != 0) {
      state.SkipWithError("mincore failed");
      break;
    }
  }
  state.counters["vmas"] = static_cast<double>(vmas);
  EndProcess(pid);
}
BENCHMARK(BM_VmaLookup)->Arg(16)->Arg(1024)->Arg(16384);

void BM_PathWalk(benchmark::State& state) {
  const int depth = static_cast<int>(state.range(0));
  std::string why;
  sim::Pid pid = NewProcess(&why);
  if (pid == 0) return state.SkipWithError(why.c_str());
  std::string path = "/bench-walk-" + std::to_string(depth);
  for (int i = 0; i < depth; ++i) {
    int64_t r = M().Syscall(pid, SYS_mkdir, M().PushString(pid, path), 0755).value;
    if (r != 0 && r != -EEXIST) return state.SkipWithError(("mkdir: " + std::to_string(r)).c_str());
    path += "/d" + std::to_string(i);
  }
  int64_t fd = M().Syscall(pid, SYS_openat, static_cast<uint64_t>(AT_FDCWD),
                           M().PushString(pid, path), O_CREAT | O_WRONLY, 0644)
                   .value;
  if (fd < 0) return state.SkipWithError(("creat: " + std::to_string(fd)).c_str());
  M().Syscall(pid, SYS_close, static_cast<uint64_t>(fd));
  const uint64_t user_path = M().PushString(pid, path);
  const int64_t statbuf = M().Mmap(pid, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  for (auto _ : state) {
    if (M().Syscall(pid, SYS_newfstatat, static_cast<uint64_t>(AT_FDCWD), user_path,
                    static_cast<uint64_t>(statbuf), 0)
            .value != 0) {
      state.SkipWithError("newfstatat failed");
      break;
    }
  }
  state.counters["depth"] = depth;
  EndProcess(pid);
}
BENCHMARK(BM_PathWalk)->Arg(1)->Arg(8);

void BM_PipeTransfer(benchmark::State& state) {
  const uint64_t bytes = static_cast<uint64_t>(state.range(0));
  std::string why;
  sim::Pid pid = NewProcess(&why);
  if (pid == 0) return state.SkipWithError(why.c_str());
  const int64_t mem =
      M().Mmap(pid, 2 * kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE);
  if (mem < 0) return state.SkipWithError("mmap failed");
  const uint64_t fds = static_cast<uint64_t>(mem), buf = fds + kPage;
  if (M().Syscall(pid, SYS_pipe2, fds, 0).value != 0) return state.SkipWithError("pipe2 failed");
  sim::Outcome f = M().Load(pid, fds, 8);
  int32_t rfd = 0, wfd = 0;
  memcpy(&rfd, f.bytes.data(), 4);
  memcpy(&wfd, f.bytes.data() + 4, 4);
  for (auto _ : state) {
    if (M().Syscall(pid, SYS_write, static_cast<uint64_t>(wfd), buf, bytes).value !=
            static_cast<int64_t>(bytes) ||
        M().Syscall(pid, SYS_read, static_cast<uint64_t>(rfd), buf, bytes).value !=
            static_cast<int64_t>(bytes)) {
      state.SkipWithError("pipe write/read came up short");
      break;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  EndProcess(pid);
}
BENCHMARK(BM_PipeTransfer)->Arg(64)->Arg(4096);

}  // namespace

// An empty root file system (a cpio archive that is only its trailer) for init to start in,
// as kernel/proc/init.cc gives PID 1; forks inherit it.
bool MountEmptyRoot() {
  std::string trailer = "070701";
  for (int field = 0; field < 13; ++field) {  // nlink (4) is 1; namesize (11) counts the NUL
    trailer += field == 4 ? "00000001" : field == 11 ? "0000000B" : "00000000";
  }
  trailer += std::string("TRAILER!!!") + '\0';
  while (trailer.size() % 4 != 0) trailer += '\0';
  auto mounted = kernel::fs::MountRootFromInitramfs(kernel::lib::span<const kernel::u8>(
      reinterpret_cast<const kernel::u8*>(trailer.data()), trailer.size()));
  if (mounted.is_error()) return false;
  sim::Outcome set = M().Call(g_init, [](kernel::proc::Task& t) -> int64_t {
    auto context = kernel::fs::InitFsContext()->Clone();
    if (context.is_error()) return -1;
    t.set_fs_context(context.value());
    return 0;
  });
  return set.done() && set.value == 0;
}

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  sim::BootHostMachine(1ull << 30);
  auto machine = std::make_unique<sim::Machine>();
  g_machine = machine.get();
  g_init = M().Spawn("init");
  if (!MountEmptyRoot()) {
    fprintf(stderr, "kernel_paths_bench: cannot mount an empty root file system\n");
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  g_machine = nullptr;
  return 0;
}
