// SO_PEERCRED names the peer's credentials; SCM_CREDENTIALS with SO_PASSCRED delivers the
// sender's pid/uid/gid [man 7 unix].
#include <sys/socket.h>

#include "contract.h"

int main(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  struct ucred cred;
  socklen_t len = sizeof(cred);
  T_CALL(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len));
  printf("peercred: pid self %s uid %d gid %d len %u\n", cred.pid == getpid() ? "true" : "false",
         (int)cred.uid, (int)cred.gid, (unsigned)len);
  int on = 1;
  T_CALL(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
  pid_t child = fork();
  if (child == 0) {
    setgid(77);
    setuid(55);
    write(sv[0], "c", 1);
    _exit(0);
  }
  t_wait(child, "child");
  char data;
  char control[CMSG_SPACE(sizeof(struct ucred))];
  struct iovec iov = {&data, 1};
  struct msghdr mh = {
      .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof(control)};
  T_CALL(recvmsg(sv[1], &mh, 0));
  struct cmsghdr* c = CMSG_FIRSTHDR(&mh);
  if (c != NULL && c->cmsg_type == SCM_CREDENTIALS) {
    struct ucred got;
    memcpy(&got, CMSG_DATA(c), sizeof(got));
    printf("SCM_CREDENTIALS: pid is child %s uid %d gid %d\n", got.pid == child ? "true" : "false",
           (int)got.uid, (int)got.gid);
  } else {
    printf("no SCM_CREDENTIALS\n");
  }
  return 0;
}
