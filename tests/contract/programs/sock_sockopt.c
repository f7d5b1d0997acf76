// getsockopt/setsockopt on unix sockets: SO_TYPE, SO_DOMAIN, SO_PROTOCOL, SO_ACCEPTCONN,
// SO_ERROR, unknown options [man 7 socket].
#include <sys/socket.h>

#include "contract.h"

static void Get(int fd, int opt, const char* name) {
  int v = -1;
  socklen_t len = sizeof(v);
  int r = getsockopt(fd, SOL_SOCKET, opt, &v, &len);
  if (r < 0) {
    printf("%s: %s\n", name, t_errname(errno));
  } else {
    printf("%s: %d (len %u)\n", name, v, (unsigned)len);
  }
}

int main(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
  Get(sv[0], SO_TYPE, "SO_TYPE");
  Get(sv[0], SO_DOMAIN, "SO_DOMAIN");
  Get(sv[0], SO_PROTOCOL, "SO_PROTOCOL");
  Get(sv[0], SO_ACCEPTCONN, "SO_ACCEPTCONN");
  Get(sv[0], SO_ERROR, "SO_ERROR");
  Get(sv[0], 9999, "unknown option");
  int v = 0;
  socklen_t len = 1;
  T_CALL(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &len));
  printf("short optlen: %u\n", (unsigned)len);
  T_CALL(getsockopt(sv[0], 9999, SO_TYPE, &v, &(socklen_t){4}));
  T_CALL(setsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, sizeof(v)));
  T_CALL(setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, 1));
  int big = 1 << 16;
  T_CALL(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big)));
  int got = 0;
  len = sizeof(got);
  getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &got, &len);
  printf("SO_SNDBUF doubled: %s\n", got == 2 * big ? "true" : "false");
  struct timeval tv = {0, 10000};
  T_CALL(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
  char c;
  T_CALL(recv(sv[0], &c, 1, 0));  // times out
  return 0;
}
