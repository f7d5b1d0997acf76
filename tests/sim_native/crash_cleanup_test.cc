// No stub outlives its simulator, even one that is SIGKILLed: the stubs ask for SIGKILL when
// their parent dies (PR_SET_PDEATHSIG) and the tracer sets PTRACE_O_EXITKILL.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "tests/sim_native/native_fixture.h"

namespace sim_native_test {
namespace {

bool Exists(pid_t pid) { return kill(pid, 0) == 0 || errno != ESRCH; }

TEST(CrashCleanup, StubsDieWhenTheSimulatorIsKilled) {
  // Orphaned stubs are reparented to us, so we can reap them and see them go.
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t sim = fork();
  ASSERT_GE(sim, 0);
  if (sim == 0) {
    // The "simulator": three native modes, each with one (pooled) stub.
    std::string error;
    std::unique_ptr<NativeUserMode> modes[3];
    for (auto& m : modes) {
      m = NativeUserMode::Create(NativeOptions{}, &error);
      if (m == nullptr) _exit(2);
    }
    (void)!write(fds[1], "ready", 5);
    pause();
    _exit(0);
  }
  close(fds[1]);
  char buf[8];
  ASSERT_EQ(read(fds[0], buf, 5), 5);
  close(fds[0]);
  // The stubs are the simulator's children.
  std::vector<pid_t> stubs;
  {
    std::string path =
        "/proc/" + std::to_string(sim) + "/task/" + std::to_string(sim) + "/children";
    FILE* f = std::fopen(path.c_str(), "r");
    ASSERT_NE(f, nullptr);
    int pid;
    while (std::fscanf(f, "%d", &pid) == 1) stubs.push_back(pid);
    std::fclose(f);
  }
  ASSERT_EQ(stubs.size(), 3u);
  ASSERT_EQ(kill(sim, SIGKILL), 0);
  int status;
  ASSERT_EQ(waitpid(sim, &status, 0), sim);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (pid_t stub : stubs) {
    while (Exists(stub) && std::chrono::steady_clock::now() < deadline) {
      waitpid(stub, &status, WNOHANG);  // reparented to us: reap it
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_FALSE(Exists(stub)) << "stub " << stub << " outlived its simulator";
  }
  prctl(PR_SET_CHILD_SUBREAPER, 0);
}

}  // namespace
}  // namespace sim_native_test
