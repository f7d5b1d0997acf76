// epoll on sockets and pipes: level-triggered readiness, EPOLLET fires once per change,
// EPOLLONESHOT disarms, ctl errors [man 7 epoll, man 2 epoll_ctl].
#include <sys/epoll.h>
#include <sys/socket.h>

#include "contract.h"

static void Wait(int ep, const char* what) {
  struct epoll_event ev[4];
  int n = epoll_wait(ep, ev, 4, 0);
  printf("%s: %d", what, n);
  for (int i = 0; i < n; ++i)
    printf(" [data %llu%s%s%s]", (unsigned long long)ev[i].data.u64,
           ev[i].events & EPOLLIN ? " IN" : "", ev[i].events & EPOLLOUT ? " OUT" : "",
           ev[i].events & EPOLLHUP ? " HUP" : "");
  printf("\n");
}

int main(void) {
  int ep = epoll_create1(EPOLL_CLOEXEC);
  T_CALL(ep);
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 1};
  T_CALL(epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev));
  Wait(ep, "empty");
  write(sv[0], "ab", 2);
  Wait(ep, "data, level");
  Wait(ep, "data, level again");
  ev.events = EPOLLIN | EPOLLET;
  T_CALL(epoll_ctl(ep, EPOLL_CTL_MOD, sv[1], &ev));
  Wait(ep, "edge after MOD");
  Wait(ep, "edge again, no new data");
  write(sv[0], "c", 1);
  Wait(ep, "edge, new data");
  ev.events = EPOLLIN | EPOLLONESHOT;
  T_CALL(epoll_ctl(ep, EPOLL_CTL_MOD, sv[1], &ev));
  Wait(ep, "oneshot");
  Wait(ep, "oneshot disarmed");
  T_CALL(epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev));
  T_CALL(epoll_ctl(ep, EPOLL_CTL_DEL, sv[0], NULL));
  T_CALL(epoll_ctl(ep, 99, sv[1], &ev));
  T_CALL(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev));
  t_make_file("f", "x");
  int f = open("f", O_RDONLY);
  T_CALL(epoll_ctl(ep, EPOLL_CTL_ADD, f, &ev));  // regular files cannot be polled
  T_CALL(epoll_ctl(f, EPOLL_CTL_ADD, sv[0], &ev));
  struct epoll_event out[1];
  T_CALL(epoll_wait(ep, out, 0, 0));
  T_CALL(epoll_wait(f, out, 1, 0));
  T_CALL(epoll_create(0));
  T_CALL(epoll_create1(0x1234));
  int fds[2];
  pipe(fds);
  struct epoll_event pev = {.events = EPOLLIN | EPOLLOUT, .data.u64 = 2};
  epoll_ctl(ep, EPOLL_CTL_ADD, fds[1], &pev);
  T_CALL(epoll_ctl(ep, EPOLL_CTL_DEL, sv[1], NULL));
  Wait(ep, "pipe write end");
  close(fds[0]);
  Wait(ep, "pipe write end, reader closed");
  close(fds[1]);
  Wait(ep, "after closing the only registered fd");
  return 0;
}
