// SCM_RIGHTS passes open files across a unix socket: the receiver gets a new fd for the
// same open file description (shared offset) [man 7 unix "Ancillary messages"].
#include <sys/socket.h>

#include "contract.h"

int main(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  t_make_file("f", "0123456789");
  int fd = open("f", O_RDONLY);
  lseek(fd, 4, SEEK_SET);
  pid_t child = fork();
  if (child == 0) {
    close(fd);
    char data;
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {&data, 1};
    struct msghdr mh = {.msg_iov = &iov,
                        .msg_iovlen = 1,
                        .msg_control = control,
                        .msg_controllen = sizeof(control)};
    long n = recvmsg(sv[1], &mh, 0);
    struct cmsghdr* c = CMSG_FIRSTHDR(&mh);
    printf("child: recvmsg %ld, cmsg level SOL_SOCKET %d type SCM_RIGHTS %d\n", n,
           c && c->cmsg_level == SOL_SOCKET, c && c->cmsg_type == SCM_RIGHTS);
    int got;
    memcpy(&got, CMSG_DATA(c), sizeof(int));
    printf("child: received fd %d\n", got);
    char buf[8] = {0};
    read(got, buf, 3);
    printf("child: read at the shared offset: %s\n", buf);
    _exit(0);
  }
  char control[CMSG_SPACE(sizeof(int))];
  memset(control, 0, sizeof(control));
  struct iovec iov = {"x", 1};
  struct msghdr mh = {
      .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof(control)};
  struct cmsghdr* c = CMSG_FIRSTHDR(&mh);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof(int));
  long sent = sendmsg(sv[0], &mh, 0);  // printed after the child's lines, in a fixed order
  t_wait(child, "child");
  printf("sendmsg with SCM_RIGHTS: %ld\n", sent);
  printf("parent offset after the child's read: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
  int bad = 999;
  memcpy(CMSG_DATA(c), &bad, sizeof(int));
  T_CALL(sendmsg(sv[0], &mh, 0));
  c->cmsg_type = 99;
  T_CALL(sendmsg(sv[0], &mh, 0));
  return 0;
}
