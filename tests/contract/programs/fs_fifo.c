// FIFOs: open rendezvous, O_NONBLOCK rules, data through the name [man 7 fifo].
#include "contract.h"

int main(void) {
  T_CALL(mkfifo("p", 0644));
  T_CALL(mkfifo("p", 0644));
  T_CALL(open("p", O_WRONLY | O_NONBLOCK));  // no reader: ENXIO
  int r = open("p", O_RDONLY | O_NONBLOCK);
  T_CALL(r);
  char buf[16];
  T_CALL(read(r, buf, sizeof(buf)));  // no writer ever: EOF
  int w = open("p", O_WRONLY | O_NONBLOCK);
  T_CALL(w);
  T_CALL(read(r, buf, sizeof(buf)));  // a writer, no data: EAGAIN
  T_CALL(write(w, "fifo", 4));
  T_CALL(read(r, buf, sizeof(buf)));
  close(w);
  T_CALL(read(r, buf, sizeof(buf)));
  close(r);
  pid_t child = fork();
  if (child == 0) {
    int cw = open("p", O_WRONLY);  // blocks until the parent opens for reading
    write(cw, "from child", 10);
    _exit(0);
  }
  int br = open("p", O_RDONLY);
  long n = read(br, buf, sizeof(buf));
  t_print_bytes("blocking rendezvous", buf, n);
  t_wait(child, "child");
  T_CALL(open("p", O_RDWR | O_NONBLOCK) >= 0);  // Linux allows O_RDWR on a FIFO
  T_CALL(lseek(br, 0, SEEK_SET));
  struct stat st;
  fstat(br, &st);
  printf("is fifo: %s\n", S_ISFIFO(st.st_mode) ? "true" : "false");
  T_CALL(mknod("p2", S_IFIFO | 0600, 0));
  T_CALL(mknod("r2", S_IFREG | 0600, 0));
  T_CALL(mknod("bad", 0170000 | 0600, 0));
  return 0;
}
