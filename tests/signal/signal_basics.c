// Signal basics, printed as a transcript that Linux and Aramid must produce byte for byte:
// handler arguments, the mask while a handler runs, pending sets, sigtimedwait, real-time
// queueing order, standard-signal merging, SA_RESTART and EINTR, SA_RESETHAND, SA_NODEFER,
// the alternate stack, nested handlers, and flag probing with SA_UNSUPPORTED.
#include <errno.h>
#include <fenv.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static volatile int depth, order[8], norder;
static int pipefd[2];

static int blocked(int sig) {
  sigset_t cur;
  sigprocmask(SIG_BLOCK, NULL, &cur);
  return sigismember(&cur, sig);
}

static void info_handler(int sig, siginfo_t* si, void* ctx) {
  ucontext_t* uc = ctx;
  printf("handler sig=%d si_signo=%d si_code=%d pid_ok=%d usr1_blocked=%d usr2_blocked=%d\n", sig,
         si->si_signo, si->si_code, si->si_pid == getpid(), blocked(SIGUSR1), blocked(SIGUSR2));
  printf("  uc_sigmask has usr1=%d, fpregs=%d, rounding_in_handler=%s\n",
         sigismember(&uc->uc_sigmask, SIGUSR1), uc->uc_mcontext.fpregs != NULL,
         fegetround() == FE_TONEAREST ? "nearest" : "other");
}

static void nested_inner(int sig) { order[norder++] = sig; }
static void nested_outer(int sig) {
  order[norder++] = sig;
  raise(SIGUSR2);  // a different signal: its handler runs on top of this one
  order[norder++] = -sig;
}

static void nodefer(int sig) {
  (void)sig;
  if (++depth < 3) raise(SIGUSR1);
}

static void write_on_alarm(int sig) {
  (void)sig;
  (void)!write(pipefd[1], "x", 1);
}
static void nothing(int sig) { (void)sig; }

static char altstack[65536];
static void on_altstack(int sig) {
  char local;
  stack_t cur;
  sigaltstack(NULL, &cur);
  printf("altstack handler sig=%d on_altstack=%d ss_flags=%d\n", sig,
         &local >= altstack && &local < altstack + sizeof(altstack), cur.ss_flags);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));

  // 1. SA_SIGINFO handler; the FPU is fresh inside, restored after.
  sa.sa_sigaction = info_handler;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGUSR2);
  sigaction(SIGUSR1, &sa, NULL);
  fesetround(FE_UPWARD);
  kill(getpid(), SIGUSR1);
  printf("after handler: rounding=%s usr1_blocked=%d\n",
         fegetround() == FE_UPWARD ? "upward" : "lost", blocked(SIGUSR1));
  fesetround(FE_TONEAREST);

  // 2. Blocked signals pend; sigpending and sigtimedwait see them.
  sigset_t set, pend;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGRTMIN + 1);
  sigprocmask(SIG_BLOCK, &set, NULL);
  kill(getpid(), SIGUSR1);
  kill(getpid(), SIGUSR1);  // merged with the first
  for (int v = 1; v <= 3; ++v) sigqueue(getpid(), SIGRTMIN + 1, (union sigval){.sival_int = v});
  sigpending(&pend);
  printf("pending usr1=%d rt1=%d usr2=%d\n", sigismember(&pend, SIGUSR1),
         sigismember(&pend, SIGRTMIN + 1), sigismember(&pend, SIGUSR2));
  siginfo_t si;
  struct timespec zero = {0, 0};
  for (;;) {
    int s = sigtimedwait(&set, &si, &zero);
    if (s < 0) {
      printf("sigtimedwait: %s\n", errno == EAGAIN ? "EAGAIN" : strerror(errno));
      break;
    }
    printf("sigtimedwait got %s code=%d value=%d\n", s == SIGUSR1 ? "SIGUSR1" : "SIGRTMIN+1",
           si.si_code, s == SIGUSR1 ? 0 : si.si_value.sival_int);
  }
  sigprocmask(SIG_UNBLOCK, &set, NULL);

  // 3. SIGKILL and SIGSTOP cannot be caught or ignored; SA_UNSUPPORTED is never reported.
  sa.sa_handler = nothing;
  sa.sa_flags = 0;
  int rc = sigaction(SIGKILL, &sa, NULL);
  printf("sigaction(SIGKILL)=%d errno=%s\n", rc, errno == EINVAL ? "EINVAL" : "?");
  struct sigaction probe, back;
  memset(&probe, 0, sizeof(probe));
  probe.sa_handler = nothing;
  probe.sa_flags = 0x400 | SA_RESTART;  // SA_UNSUPPORTED
  sigaction(SIGWINCH, &probe, NULL);
  sigaction(SIGWINCH, NULL, &back);
  printf("probe: unsupported_kept=%d restart_kept=%d\n", (back.sa_flags & 0x400) != 0,
         (back.sa_flags & SA_RESTART) != 0);

  // 4. Nested handlers, each with its own frame.
  sa.sa_handler = nested_outer;
  sa.sa_flags = 0;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  sa.sa_handler = nested_inner;
  sigaction(SIGUSR2, &sa, NULL);
  raise(SIGUSR1);
  printf("nested order:");
  for (int i = 0; i < norder; ++i) printf(" %d", order[i]);
  printf("\n");

  // 5. SA_NODEFER lets the handler interrupt itself; SA_RESETHAND restores SIG_DFL.
  sa.sa_handler = nodefer;
  sa.sa_flags = SA_NODEFER | SA_RESETHAND;
  sigaction(SIGUSR1, &sa, NULL);
  pid_t child = fork();
  if (child == 0) {
    raise(SIGUSR1);  // depth 1: handler reset; the nested raise kills with the default
    _exit(0);
  }
  int status;
  waitpid(child, &status, 0);
  printf("resethand child: signaled=%d sig=%d\n", WIFSIGNALED(status), WTERMSIG(status));

  // 6. SA_RESTART: a read interrupted by a handler resumes; without it, EINTR.
  pipe(pipefd);
  sa.sa_handler = write_on_alarm;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  alarm(1);
  char c;
  ssize_t n = read(pipefd[0], &c, 1);
  printf("SA_RESTART read=%zd\n", n);
  sa.sa_flags = 0;
  sa.sa_handler = nothing;
  sigaction(SIGALRM, &sa, NULL);
  alarm(1);
  n = read(pipefd[0], &c, 1);
  printf("no SA_RESTART read=%zd errno=%s\n", n, errno == EINTR ? "EINTR" : strerror(errno));

  // 7. The alternate stack.
  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack), .ss_flags = 0};
  sigaltstack(&ss, NULL);
  sa.sa_handler = on_altstack;
  sa.sa_flags = SA_ONSTACK;
  sigaction(SIGUSR2, &sa, NULL);
  raise(SIGUSR2);
  stack_t tiny = {.ss_sp = altstack, .ss_size = 100, .ss_flags = 0};
  rc = sigaltstack(&tiny, NULL);
  printf("tiny sigaltstack=%d errno=%s\n", rc, errno == ENOMEM ? "ENOMEM" : strerror(errno));
  printf("done\n");
  return 0;
}
