// Prints one line: the smallest check that a static program runs and its output comes back.
#include <stdio.h>

int main(void) {
  puts("hello from a static musl program");
  return 0;
}
