// fork and execve on hostsim (issue #5's figures), through sim::Machine's scripted mode: the
// real system calls, page tables in the arena, the software MMU.
//   BM_Fork/<pages>: fork of a process with that many private anonymous pages mapped and
//     present (MAP_POPULATE); the child's exit and the parent's wait4 are not timed.
//   BM_ExecveBusybox: a full execve of Alpine's BusyBox (dynamic PIE, with musl's dynamic
//     loader as PT_INTERP) from the pinned rootfs tarball; an error, not a skip, when the
//     tarball is missing (tools/aramid setup fetches it).
//   BM_ExecveStaticPie: the same for tests/proc/progs/pie_reloc.c (a static PIE).
// Own main(): sim::BootHostMachine and one Machine for the whole run.
#include <benchmark/benchmark.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include <map>
#include <memory>
#include <string>

#include "sim/files.h"
#include "sim/machine.h"

namespace {

sim::Machine* g_machine = nullptr;
sim::Pid g_init = 0;

sim::Machine& M() { return *g_machine; }

// A process per page count, kept for the whole run (Google Benchmark calls a benchmark
// function several times while it picks the iteration count).
sim::Pid ProcessWithPages(uint64_t pages, std::string* why) {
  static std::map<uint64_t, sim::Pid> cache;
  if (auto it = cache.find(pages); it != cache.end()) return it->second;
  int64_t pid = M().Syscall(g_init, SYS_fork).value;
  if (pid <= 0) {
    *why = "fork of the holder failed: " + std::to_string(pid);
    return 0;
  }
  int64_t a = M().Mmap(static_cast<sim::Pid>(pid), pages * 4096, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE);
  if (a < 0) {
    *why = "mmap of " + std::to_string(pages) + " pages failed: " + std::to_string(a);
    return 0;
  }
  return cache[pages] = static_cast<sim::Pid>(pid);
}

void BM_Fork(benchmark::State& state) {
  const uint64_t pages = static_cast<uint64_t>(state.range(0));
  std::string why;
  sim::Pid parent = ProcessWithPages(pages, &why);
  if (parent == 0) return state.SkipWithError(why.c_str());
  for (auto _ : state) {
    sim::Outcome f = M().Syscall(parent, SYS_fork);
    state.PauseTiming();
    if (!f.done() || f.value <= 0) {
      state.ResumeTiming();
      state.SkipWithError(("fork failed: " + std::to_string(f.value)).c_str());
      break;
    }
    M().Syscall(static_cast<sim::Pid>(f.value), SYS_exit_group, 0);
    if (M().Syscall(parent, SYS_wait4, f.value, 0, 0, 0).value != f.value) {
      state.ResumeTiming();
      state.SkipWithError("wait4 did not reap the child");
      break;
    }
    state.ResumeTiming();
  }
  state.counters["pages"] = static_cast<double>(pages);
}
BENCHMARK(BM_Fork)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond);

// Runs execve(path, argv) in a process of its own over and over; the argument strings are
// copied into each new image outside the timing.
void BenchExecve(benchmark::State& state, const std::string& path,
                 const std::vector<std::string>& argv) {
  static sim::Pid proc = 0;
  if (proc == 0) proc = static_cast<sim::Pid>(M().Syscall(g_init, SYS_fork).value);
  for (auto _ : state) {
    state.PauseTiming();
    uint64_t p = M().PushString(proc, path);
    uint64_t a = M().PushStrings(proc, argv);
    state.ResumeTiming();
    sim::Outcome r = M().Syscall(proc, SYS_execve, p, a, 0);
    if (!r.done() || r.value != 0) {
      state.SkipWithError(("execve failed: " + std::to_string(r.value)).c_str());
      break;
    }
  }
}

void BM_ExecveBusybox(benchmark::State& state) {
  static bool loaded = false;
  static std::string why;
  if (!loaded && why.empty()) {
    auto busybox = sim::ReadAlpineFile("bin/busybox", &why);
    auto ld = busybox ? sim::ReadAlpineFile("lib/ld-musl-x86_64.so.1", &why) : std::nullopt;
    if (busybox && ld) {
      M().files().Add("/bin/busybox", std::move(*busybox));
      M().files().Add("/lib/ld-musl-x86_64.so.1", std::move(*ld));
      loaded = true;
    }
  }
  if (!loaded) return state.SkipWithError(why.c_str());
  BenchExecve(state, "/bin/busybox", {"busybox", "true"});
}
BENCHMARK(BM_ExecveBusybox)->Unit(benchmark::kMicrosecond);

void BM_ExecveStaticPie(benchmark::State& state) {
  static bool loaded = false;
  const std::string path = std::string(ARAMID_GUEST_DIR) + "/aramid/bin/pie-reloc";
  if (!loaded) {
    auto bytes = sim::ReadHostFile(path);
    if (!bytes) return state.SkipWithError((path + " is missing (guest_pie-reloc)").c_str());
    M().files().Add("/bin/pie-reloc", std::move(*bytes));
    loaded = true;
  }
  BenchExecve(state, "/bin/pie-reloc", {"pie-reloc"});
}
BENCHMARK(BM_ExecveStaticPie)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  // 100,000 present pages are 400 MiB; the arena is mapped lazily by the host.
  sim::BootHostMachine(2ull << 30);
  auto machine = std::make_unique<sim::Machine>();
  g_machine = machine.get();
  g_init = M().Spawn("init");
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  g_machine = nullptr;
  return 0;
}
