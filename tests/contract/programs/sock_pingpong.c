// Two processes exchange 500 messages over a SOCK_SEQPACKET socketpair.
#include <sys/socket.h>

#include "contract.h"

int main(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
  pid_t child = fork();
  if (child == 0) {
    close(sv[0]);
    char msg[64];
    long n;
    while ((n = recv(sv[1], msg, sizeof(msg), 0)) > 0) {
      msg[0]++;
      send(sv[1], msg, n, 0);
    }
    _exit(0);
  }
  close(sv[1]);
  char msg[64] = "A-message";
  for (int i = 0; i < 500; ++i) {
    send(sv[0], msg, 9, 0);
    recv(sv[0], msg, sizeof(msg), 0);
    msg[0] = (char)('A' + (msg[0] - 'A') % 26);
  }
  printf("final: %.9s\n", msg);
  close(sv[0]);
  t_wait(child, "child");
  return 0;
}
