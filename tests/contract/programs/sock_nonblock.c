// Non-blocking unix sockets: SOCK_NONBLOCK/MSG_DONTWAIT give EAGAIN; a full stream socket
// refuses more; accept on a non-blocking listener without a client is EAGAIN [man 7 unix].
#include <sys/socket.h>
#include <sys/un.h>

#include "contract.h"

int main(void) {
  int sv[2];
  T_CALL(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv));
  printf("O_NONBLOCK %d FD_CLOEXEC %d\n", !!(fcntl(sv[0], F_GETFL) & O_NONBLOCK),
         fcntl(sv[0], F_GETFD));
  char buf[4096];
  T_CALL(read(sv[0], buf, 1));
  memset(buf, 'x', sizeof(buf));
  long total = 0, n;
  while ((n = write(sv[0], buf, sizeof(buf))) > 0) total += n;
  printf("stream filled after some bytes, then %s\n", t_errname(errno));
  int plain[2];
  socketpair(AF_UNIX, SOCK_DGRAM, 0, plain);
  T_CALL(recv(plain[0], buf, 1, MSG_DONTWAIT));
  int l = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  strcpy(a.sun_path, "l");
  bind(l, (struct sockaddr*)&a, sizeof(a));
  listen(l, 1);
  T_CALL(accept(l, NULL, NULL));
  T_CALL(accept4(l, NULL, NULL, 0x1234));
  (void)total;
  return 0;
}
