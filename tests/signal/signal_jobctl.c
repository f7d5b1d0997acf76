// Stop and continue: wait statuses with WUNTRACED/WCONTINUED, the SIGCHLD si_codes, SIGKILL
// ending a stopped child, SIGCONT discarding a pending stop, SA_NOCLDSTOP, and a sleeper
// woken by SIGKILL.
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char* Code(int code) {
  switch (code) {
    case CLD_EXITED:
      return "CLD_EXITED";
    case CLD_KILLED:
      return "CLD_KILLED";
    case CLD_DUMPED:
      return "CLD_DUMPED";
    case CLD_STOPPED:
      return "CLD_STOPPED";
    case CLD_CONTINUED:
      return "CLD_CONTINUED";
    default:
      return "?";
  }
}

static void Describe(const char* what, int st) {
  if (WIFSTOPPED(st))
    printf("%s: stopped by %d (raw %#x)\n", what, WSTOPSIG(st), st);
  else if (WIFCONTINUED(st))
    printf("%s: continued (raw %#x)\n", what, st);
  else if (WIFSIGNALED(st))
    printf("%s: killed by %d\n", what, WTERMSIG(st));
  else
    printf("%s: exited %d\n", what, WEXITSTATUS(st));
}

static void Chld(sigset_t* set) {
  siginfo_t si;
  struct timespec t = {5, 0};
  if (sigtimedwait(set, &si, &t) == SIGCHLD) {
    printf("SIGCHLD %s status=%d\n", Code(si.si_code), si.si_status);
  } else {
    printf("no SIGCHLD\n");
  }
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);

  pid_t c = fork();
  if (c == 0) {
    // A group of its own whose parent (us) is in another group of the session: not
    // orphaned, so SIGTSTP stops it wherever the test runs.
    setpgid(0, 0);
    for (;;) pause();
  }
  setpgid(c, c);
  int st;
  kill(c, SIGSTOP);
  waitpid(c, &st, WUNTRACED);
  Describe("after SIGSTOP", st);
  Chld(&chld);
  printf("second WUNTRACED|WNOHANG: %d\n", waitpid(c, &st, WUNTRACED | WNOHANG));
  kill(c, SIGCONT);
  waitpid(c, &st, WCONTINUED);
  Describe("after SIGCONT", st);
  Chld(&chld);
  kill(c, SIGTSTP);
  waitpid(c, &st, WUNTRACED);
  Describe("after SIGTSTP", st);
  Chld(&chld);
  kill(c, SIGKILL);  // kills a stopped process without a SIGCONT
  waitpid(c, &st, 0);
  Describe("after SIGKILL", st);
  Chld(&chld);

  // SA_NOCLDSTOP: no SIGCHLD for stops, still one for the exit.
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = SIG_DFL;
  sa.sa_flags = SA_NOCLDSTOP;
  sigaction(SIGCHLD, &sa, NULL);
  c = fork();
  if (c == 0) {
    raise(SIGSTOP);
    _exit(7);
  }
  waitpid(c, &st, WUNTRACED);
  Describe("self-stopped child", st);
  sigset_t pend;
  sigpending(&pend);
  printf("SIGCHLD pending after stop with SA_NOCLDSTOP: %d\n", sigismember(&pend, SIGCHLD));
  kill(c, SIGCONT);
  waitpid(c, &st, 0);
  Describe("continued child", st);
  Chld(&chld);
  return 0;
}
