// Only the low 8 bits of the exit code survive [man 2 _exit]; exit_group and _exit agree.
#include "contract.h"

int main(void) {
  static const int codes[] = {0, 1, 127, 128, 255, 256, 257, -1, 1000};
  for (unsigned i = 0; i < sizeof(codes) / sizeof(codes[0]); ++i) {
    pid_t child = fork();
    if (child == 0) {
      if (i % 2) syscall(SYS_exit_group, codes[i]);
      syscall(SYS_exit, codes[i]);
    }
    char what[32];
    snprintf(what, sizeof(what), "exit(%d)", codes[i]);
    t_wait(child, what);
  }
  return 0;
}
