// Jumps to an address where nothing is mapped: the kernel must kill it with SIGSEGV (status
// 139 from the runner), not crash.
#include <stdint.h>

int main(void) {
  void (*f)(void) = (void (*)(void))(uintptr_t)0xdead0000beefull;
  f();
  return 0;
}
