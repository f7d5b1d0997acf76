// epoll on pipes: edge-triggered reports only new data, EPOLLONESHOT disarms until
// EPOLL_CTL_MOD, EPOLLEXCLUSIVE, the ctl errors (EEXIST, ENOENT, ELOOP, EINVAL), and
// epoll_pwait's signal mask [man 7 epoll, man 2 epoll_ctl, man 2 epoll_wait].
#include <sys/epoll.h>

#include "contract.h"

// Prints what a zero-timeout epoll_wait reports: "what: n {data: events}...".
static void Wait(int ep, const char* what) {
  static const struct {
    uint32_t bit;
    const char* name;
  } kBits[] = {{EPOLLIN, "in"}, {EPOLLOUT, "out"}, {EPOLLERR, "err"}, {EPOLLHUP, "hup"}};
  struct epoll_event ready[4];
  int count = epoll_wait(ep, ready, 4, 0);
  printf("%s: %d", what, count);
  for (int i = 0; i < count; ++i) {
    printf(" {%llu:", (unsigned long long)ready[i].data.u64);
    for (unsigned b = 0; b < sizeof(kBits) / sizeof(kBits[0]); ++b) {
      if (ready[i].events & kBits[b].bit) printf(" %s", kBits[b].name);
    }
    printf("}");
  }
  printf("\n");
}

static volatile int g_caught;
static void OnSignal(int sig) { g_caught = sig; }

int main(void) {
  int p[2];
  T_REQUIRE(pipe(p) == 0);
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = 1};
  char buf[16];

  // Edge-triggered: a report per arrival of data, never for data already reported.
  T_CALL(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
  Wait(ep, "et empty");
  write(p[1], "ab", 2);
  Wait(ep, "et data");
  Wait(ep, "et same data");
  T_CALL(read(p[0], buf, 1));
  Wait(ep, "et after partial read");
  write(p[1], "c", 1);
  Wait(ep, "et new data");
  Wait(ep, "et new data again");
  T_CALL(read(p[0], buf, sizeof(buf)));
  Wait(ep, "et drained");
  write(p[1], "d", 1);
  Wait(ep, "et data after drain");

  // One-shot: one report, then nothing until EPOLL_CTL_MOD re-arms it.
  ev.events = EPOLLIN | EPOLLONESHOT;
  ev.data.u64 = 2;
  T_CALL(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
  Wait(ep, "oneshot");
  Wait(ep, "oneshot disarmed");
  write(p[1], "e", 1);
  Wait(ep, "oneshot disarmed, new data");
  T_CALL(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));  // still registered
  T_CALL(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
  Wait(ep, "oneshot re-armed");
  Wait(ep, "oneshot disarmed again");
  ev.events = EPOLLIN | EPOLLONESHOT | EPOLLET;
  T_CALL(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
  Wait(ep, "oneshot|et re-armed");
  T_CALL(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
  T_CALL(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
  T_CALL(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));

  // EPOLLEXCLUSIVE: accepted with ADD only, not with EPOLLONESHOT, not on an epoll fd.
  struct epoll_event ex = {.events = EPOLLIN | EPOLLEXCLUSIVE, .data.u64 = 3};
  T_CALL(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ex));
  Wait(ep, "exclusive");
  T_CALL(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ex));
  ev.events = EPOLLIN;
  T_CALL(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));  // MOD of an exclusive entry
  int p2[2];
  T_REQUIRE(pipe(p2) == 0);
  ex.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
  T_CALL(epoll_ctl(ep, EPOLL_CTL_ADD, p2[0], &ex));
  ex.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLPRI;
  T_CALL(epoll_ctl(ep, EPOLL_CTL_ADD, p2[0], &ex));
  ex.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLRDHUP;
  T_CALL(epoll_ctl(ep, EPOLL_CTL_ADD, p2[0], &ex));
  ex.events = EPOLLOUT | EPOLLEXCLUSIVE | EPOLLET | EPOLLERR | EPOLLHUP;
  T_CALL(epoll_ctl(ep, EPOLL_CTL_ADD, p2[1], &ex));
  int inner = epoll_create1(0);
  ex.events = EPOLLIN | EPOLLEXCLUSIVE;
  T_CALL(epoll_ctl(ep, EPOLL_CTL_ADD, inner, &ex));

  // Nesting: an epoll in another is fine, a cycle is ELOOP, itself is EINVAL.
  ev.events = EPOLLIN;
  ev.data.u64 = 4;
  T_CALL(epoll_ctl(ep, EPOLL_CTL_ADD, inner, &ev));
  T_CALL(epoll_ctl(inner, EPOLL_CTL_ADD, ep, &ev));
  T_CALL(epoll_ctl(inner, EPOLL_CTL_ADD, inner, &ev));
  int third = epoll_create1(0);
  T_CALL(epoll_ctl(inner, EPOLL_CTL_ADD, third, &ev));
  T_CALL(epoll_ctl(third, EPOLL_CTL_ADD, ep, &ev));
  T_CALL(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], T_BAD_PTR));
  T_CALL(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev));
  T_CALL(epoll_ctl(999, EPOLL_CTL_ADD, p[0], &ev));

  // epoll_pwait: the mask is in force only while waiting.
  struct sigaction sa = {0};
  sa.sa_handler = OnSignal;
  sigaction(SIGUSR1, &sa, NULL);
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigprocmask(SIG_BLOCK, &block, &old);
  raise(SIGUSR1);
  int empty = epoll_create1(0);
  struct epoll_event out[2];
  T_CALL(epoll_pwait(empty, out, 2, 0, &block));  // still blocked while waiting
  printf("caught %d\n", g_caught);
  sigset_t open_mask;
  sigemptyset(&open_mask);
  T_CALL(epoll_pwait(empty, out, 2, -1, &open_mask));  // unblocked: handler, EINTR
  printf("caught %s\n", t_signame(g_caught));
  sigset_t now;
  sigprocmask(SIG_SETMASK, NULL, &now);
  printf("SIGUSR1 blocked again after the wait: %d\n", sigismember(&now, SIGUSR1));
  T_RAW(syscall(SYS_epoll_pwait, empty, out, 2, 0, &open_mask, 4));  // wrong sigsetsize
  T_RAW(syscall(SYS_epoll_pwait, empty, out, 2, 0, T_BAD_PTR, 8));
  T_RAW(syscall(SYS_epoll_pwait, empty, out, 2, 0, NULL, 4));  // no mask: size unchecked
  T_CALL(epoll_pwait(empty, out, 0, 0, NULL));
  T_CALL(epoll_pwait(empty, out, -1, 0, NULL));
  write(p2[1], "x", 1);
  ev.events = EPOLLIN;
  ev.data.u64 = 5;
  epoll_ctl(empty, EPOLL_CTL_ADD, p2[0], &ev);
  T_CALL(epoll_wait(empty, T_BAD_PTR, 2, 0));
  T_CALL(epoll_wait(empty, out, 2, 0));
  return 0;
}
