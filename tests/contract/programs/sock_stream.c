// socketpair(AF_UNIX, SOCK_STREAM): bidirectional bytes, no message boundaries, shutdown
// gives EOF to the peer and EPIPE to the writer [man 7 unix, man 2 shutdown].
#include <sys/socket.h>

#include "contract.h"

int main(void) {
  int sv[2];
  T_CALL(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  T_CALL(write(sv[0], "ab", 2));
  T_CALL(write(sv[0], "cd", 2));
  char buf[16];
  long n = read(sv[1], buf, sizeof(buf));
  t_print_bytes("merged", buf, n);
  T_CALL(send(sv[1], "back", 4, 0));
  n = recv(sv[0], buf, sizeof(buf), 0);
  t_print_bytes("other direction", buf, n);
  T_CALL(shutdown(sv[0], SHUT_WR));
  T_CALL(read(sv[1], buf, sizeof(buf)));
  T_CALL(send(sv[0], "x", 1, MSG_NOSIGNAL));
  T_CALL(send(sv[1], "still", 5, 0));  // the other direction still works
  n = read(sv[0], buf, sizeof(buf));
  t_print_bytes("after SHUT_WR", buf, n);
  T_CALL(shutdown(sv[0], 99));
  T_CALL(shutdown(0, SHUT_RD));
  close(sv[1]);
  T_CALL(send(sv[0], "x", 1, MSG_NOSIGNAL));
  T_CALL(recv(sv[0], buf, sizeof(buf), 0));
  return 0;
}
