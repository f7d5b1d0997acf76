// socket/socketpair argument errors, and socket calls on non-sockets [man 2 socket].
#include <netinet/in.h>
#include <sys/socket.h>

#include "contract.h"

int main(void) {
  int sv[2];
  T_CALL(socketpair(AF_INET, SOCK_STREAM, 0, sv));
  T_CALL(socketpair(AF_UNIX, 99, 0, sv));
  T_CALL(socketpair(9999, SOCK_STREAM, 0, sv));
  T_CALL(socketpair(AF_UNIX, SOCK_STREAM, 7, sv));
  T_CALL(socketpair(AF_UNIX, SOCK_STREAM | 0x40000000, 0, sv));
  T_CALL(syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, T_BAD_PTR));
  T_CALL(socket(AF_UNIX, SOCK_RAW, 0));
  T_CALL(socket(AF_UNIX, SOCK_STREAM, 0));
  t_make_file("f", "x");
  int fd = open("f", O_RDONLY);
  char buf[4];
  T_CALL(recv(fd, buf, 1, 0));
  T_CALL(send(fd, buf, 1, 0));
  T_CALL(shutdown(fd, SHUT_RD));
  T_CALL(listen(fd, 1));
  T_CALL(accept(fd, NULL, NULL));
  T_CALL(getsockopt(fd, SOL_SOCKET, SO_TYPE, buf, &(socklen_t){4}));
  T_CALL(recv(999, buf, 1, 0));
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  T_CALL(listen(sv[0], 1));
  T_CALL(accept(sv[0], NULL, NULL));
  T_CALL(send(sv[0], buf, 1, 0x80000000));
  return 0;
}
