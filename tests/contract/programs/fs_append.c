// O_APPEND: every write goes to the end, whatever the offset; two appenders never overwrite.
#include "contract.h"

int main(void) {
  int a = open("f", O_WRONLY | O_CREAT | O_APPEND, 0644);
  int b = open("f", O_WRONLY | O_APPEND);
  T_CALL(write(a, "aaa", 3));
  T_CALL(write(b, "bb", 2));
  T_CALL(lseek(a, 0, SEEK_SET));
  T_CALL(write(a, "A", 1));
  T_CALL(lseek(a, 0, SEEK_CUR));
  int plain = open("f", O_WRONLY);
  T_CALL(write(plain, "P", 1));  // a plain fd overwrites at its offset
  char buf[16];
  int r = open("f", O_RDONLY);
  long n = read(r, buf, sizeof(buf));
  t_print_bytes("file", buf, n);
  pid_t child = fork();
  if (child == 0) {
    for (int i = 0; i < 200; ++i) write(a, "c", 1);
    _exit(0);
  }
  for (int i = 0; i < 200; ++i) write(b, "p", 1);
  t_wait(child, "child");
  struct stat st;
  fstat(r, &st);
  printf("size after 400 racing appends: %lld\n", (long long)st.st_size);
  return 0;
}
