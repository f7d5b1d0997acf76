// umask(2): returns the previous mask, only 0777 bits kept, applied at creation [man 2 umask].
#include "contract.h"

static void Create(const char* name, mode_t mode) {
  int fd = open(name, O_CREAT | O_WRONLY, mode);
  struct stat st;
  fstat(fd, &st);
  printf("%s created with %04o: mode %04o\n", name, (unsigned)mode, (unsigned)(st.st_mode & 07777));
  close(fd);
}

int main(void) {
  T_CALL(umask(027));
  T_CALL(umask(0777777));
  T_CALL(umask(0));
  Create("a", 0666);
  umask(077);
  Create("b", 0666);
  Create("c", 04777);
  mkdir("d", 0777);
  struct stat st;
  stat("d", &st);
  printf("dir d: mode %04o\n", (unsigned)(st.st_mode & 07777));
  pid_t child = fork();
  if (child == 0) {
    printf("child umask: %04o\n", (unsigned)umask(0));
    _exit(0);
  }
  t_wait(child, "child");
  return 0;
}
