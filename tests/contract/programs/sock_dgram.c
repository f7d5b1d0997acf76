// SOCK_DGRAM and SOCK_SEQPACKET socketpairs keep message boundaries; a short buffer
// truncates (MSG_TRUNC reports the real length); MSG_PEEK leaves the message [man 7 unix].
#include <sys/socket.h>

#include "contract.h"

static void Run(int type, const char* name) {
  int sv[2];
  printf("%s:\n", name);
  T_CALL(socketpair(AF_UNIX, type, 0, sv));
  send(sv[0], "first", 5, 0);
  send(sv[0], "second message", 14, 0);
  send(sv[0], "", 0, 0);
  char buf[64];
  long n = recv(sv[1], buf, sizeof(buf), MSG_PEEK);
  t_print_bytes("  peek", buf, n);
  n = recv(sv[1], buf, sizeof(buf), 0);
  t_print_bytes("  one message", buf, n);
  n = recv(sv[1], buf, 6, MSG_TRUNC);
  printf("  truncated recv returned %ld\n", n);
  struct msghdr mh;
  memset(&mh, 0, sizeof(mh));
  n = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT);
  printf("  empty message: %ld\n", n);
  n = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT);
  printf("  nothing left: %ld %s\n", n, n < 0 ? t_errname(errno) : "");
  close(sv[0]);
  n = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT);
  printf("  after peer close: %ld %s\n", n, n < 0 ? t_errname(errno) : "");
  close(sv[1]);
}

int main(void) {
  Run(SOCK_DGRAM, "SOCK_DGRAM");
  Run(SOCK_SEQPACKET, "SOCK_SEQPACKET");
  return 0;
}
