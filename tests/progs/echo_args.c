// Prints each argument on its own line between brackets, so that argument passing through the
// kernel command line or /aramid/exec.args is checked byte for byte (spaces, quotes, empty).
#include <stdio.h>

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) printf("[%s]\n", argv[i]);
  return 0;
}
