// Calls getpid N times (argv[1], default 100000): the benchmark of an intercepted system
// call's round trip through the whole kernel path (bench/native).
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char** argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
  for (long i = 0; i < n; ++i) syscall(SYS_getpid);
  return 0;
}
