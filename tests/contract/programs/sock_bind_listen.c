// Named unix sockets: bind creates the file, a second bind is EADDRINUSE, connect to a
// listener and accept; getsockname/getpeername; connecting to nothing is ECONNREFUSED or
// ENOENT [man 7 unix].
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "contract.h"

static struct sockaddr_un Addr(const char* path, socklen_t* len) {
  struct sockaddr_un a;
  memset(&a, 0, sizeof(a));
  a.sun_family = AF_UNIX;
  snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
  *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
  return a;
}

int main(void) {
  socklen_t len;
  struct sockaddr_un a = Addr("sock", &len);
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  T_CALL(bind(s, (struct sockaddr*)&a, len));
  struct stat st;
  stat("sock", &st);
  printf("socket file: %s\n", S_ISSOCK(st.st_mode) ? "true" : "false");
  int s2 = socket(AF_UNIX, SOCK_STREAM, 0);
  T_CALL(bind(s2, (struct sockaddr*)&a, len));
  T_CALL(bind(s, (struct sockaddr*)&a, len));  // already bound
  int c = socket(AF_UNIX, SOCK_STREAM, 0);
  T_CALL(connect(c, (struct sockaddr*)&a, len));  // bound but not listening
  T_CALL(listen(s, 4));
  T_CALL(connect(c, (struct sockaddr*)&a, len));
  int conn = accept(s, NULL, NULL);
  T_TRUE(conn >= 0);
  write(c, "hi", 2);
  char buf[8];
  long n = read(conn, buf, sizeof(buf));
  t_print_bytes("accepted connection got", buf, n);
  struct sockaddr_un got;
  socklen_t got_len = sizeof(got);
  T_CALL(getsockname(s, (struct sockaddr*)&got, &got_len));
  printf("getsockname: %s (len %u)\n", got.sun_path, (unsigned)got_len);
  got_len = sizeof(got);
  T_CALL(getpeername(c, (struct sockaddr*)&got, &got_len));
  printf("getpeername: %s\n", got.sun_path);
  got_len = sizeof(got);
  T_CALL(getpeername(s, (struct sockaddr*)&got, &got_len));
  struct sockaddr_un missing = Addr("nothing-here", &len);
  int c2 = socket(AF_UNIX, SOCK_STREAM, 0);
  T_CALL(connect(c2, (struct sockaddr*)&missing, len));
  T_CALL(connect(c, (struct sockaddr*)&a, len));  // already connected
  struct sockaddr_un bad = {.sun_family = AF_INET};
  T_CALL(bind(c2, (struct sockaddr*)&bad, sizeof(bad)));
  T_CALL(bind(c2, (struct sockaddr*)&a, 1));
  T_CALL(unlink("sock"));
  T_CALL(connect(c2, (struct sockaddr*)&a, sizeof(a)));
  int d = socket(AF_UNIX, SOCK_DGRAM, 0);
  T_CALL(listen(d, 1));
  return 0;
}
