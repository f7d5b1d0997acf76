// Native mode through the whole kernel (issue #6's figures): real programs on the kernel in
// this process, PID 1 started by the native runner (sim::NativeSession) on the Alpine
// minirootfs. Compare with hal_round_trip_bench.cc (the ptrace floor without the kernel).
//
//  - BM_KernelGetpid: one intercepted getpid, stub -> tracer -> the kernel's trap loop and
//    dispatch -> back, from a static program looping over syscall(SYS_getpid); the cost of
//    starting the program is measured alone and subtracted.
//  - BM_BusyboxForkExitWait: BusyBox sh running `(exit 0)` in a loop: fork (a new address
//    space and stub), exit, wait; again minus the loop-less run.
//  - BM_ShEchoHelloCat: `sh -c 'echo hello | cat'` from PID 1's start to its exit, in a
//    session whose root file system is already mounted.
//  - BM_AramidSimEchoHelloCat: the same through build/sim/aramid-sim as a new process, with
//    the tarball unpacked every time: what `tools/aramid sim` costs end to end.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "sim/native_runner.h"

#ifndef ARAMID_SIM_RUNNER
#error "bench/native/CMakeLists.txt defines ARAMID_SIM_RUNNER and ARAMID_GETPID_LOOP"
#endif

namespace {

sim::NativeSession* g_session = nullptr;
constexpr char kGuestGetpidLoop[] = "/aramid/getpid_loop";

double RunSeconds(const std::vector<std::string>& argv, int* status) {
  auto start = std::chrono::steady_clock::now();
  *status = g_session->Run(argv);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Runs `argv_for(n)` per iteration and reports the time per unit of n beyond argv_for(0).
template <typename ArgvFor>
void PerUnit(benchmark::State& state, int n, ArgvFor argv_for, const char* what) {
  int status = 0;
  double base = 0;
  for (int i = 0; i < 3; ++i) base += RunSeconds(argv_for(0), &status);
  base /= 3;
  if (status != 0) {
    state.SkipWithError((std::string(what) + ": the baseline run failed").c_str());
    return;
  }
  for (auto _ : state) {
    double t = RunSeconds(argv_for(n), &status);
    if (status != 0) {
      state.SkipWithError((std::string(what) + ": the run failed").c_str());
      return;
    }
    state.SetIterationTime((t > base ? t - base : 0) / n);
  }
  state.counters["program_start_us"] = base * 1e6;
}

void BM_KernelGetpid(benchmark::State& state) {
  PerUnit(
      state, 20000,
      [](int n) {
        return std::vector<std::string>{kGuestGetpidLoop, std::to_string(n)};
      },
      "getpid_loop");
}
BENCHMARK(BM_KernelGetpid)->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(5);

void BM_BusyboxForkExitWait(benchmark::State& state) {
  PerUnit(
      state, 200,
      [](int n) {
        return std::vector<std::string>{
            "/bin/sh", "-c",
            "i=0; while [ $i -lt " + std::to_string(n) + " ]; do (exit 0); i=$((i+1)); done"};
      },
      "sh fork loop");
}
BENCHMARK(BM_BusyboxForkExitWait)->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(5);

void BM_ShEchoHelloCat(benchmark::State& state) {
  for (auto _ : state) {
    if (g_session->Run({"/bin/sh", "-c", "echo hello | cat"}) != 0) {
      state.SkipWithError("sh -c 'echo hello | cat' failed");
      return;
    }
  }
}
BENCHMARK(BM_ShEchoHelloCat)->Unit(benchmark::kMillisecond);

void BM_AramidSimEchoHelloCat(benchmark::State& state) {
  for (auto _ : state) {
    pid_t pid = fork();
    if (pid == 0) {
      int null = open("/dev/null", O_WRONLY);
      dup2(null, 1);
      execl(ARAMID_SIM_RUNNER, ARAMID_SIM_RUNNER, "--rootfs", "alpine", "--", "/bin/sh", "-c",
            "echo hello | cat", static_cast<char*>(nullptr));
      _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      state.SkipWithError("aramid-sim failed");
      return;
    }
  }
}
BENCHMARK(BM_AramidSimEchoHelloCat)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  sim::NativeSessionOptions options;
  options.rootfs = "alpine";
  options.extra_files.push_back({ARAMID_GETPID_LOOP, kGuestGetpidLoop});
  int null = open("/dev/null", O_RDWR);
  options.stdio[0] = options.stdio[1] = null;
  std::string error;
  auto session = sim::NativeSession::Create(options, &error);
  if (session == nullptr) {
    std::fprintf(stderr, "native_kernel_bench: %s\n", error.c_str());
    return 1;
  }
  g_session = session.get();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  const auto& s = session->native().stats();
  std::fprintf(
      stderr,
      "native mode: %llu syscalls, %llu page faults (%llu fills), %llu stubs spawned, %llu "
      "reused\n",
      static_cast<unsigned long long>(s.syscalls), static_cast<unsigned long long>(s.page_faults),
      static_cast<unsigned long long>(s.fills), static_cast<unsigned long long>(s.stubs_spawned),
      static_cast<unsigned long long>(s.stubs_reused));
  return 0;
}
