// crash KIND: dies the way KIND says, so that the harness can check the kernel turns a user
// fault into the right signal and lives on. KIND: null (store through NULL: SIGSEGV),
// divide (integer division by zero: SIGFPE), ud2 (invalid opcode: SIGILL), jump (call a
// non-canonical address: SIGSEGV), int3 (SIGTRAP).
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: crash null|divide|ud2|jump|int3\n");
    return 2;
  }
  const char* kind = argv[1];
  if (strcmp(kind, "null") == 0) {
    *(volatile int*)0 = 1;
  } else if (strcmp(kind, "divide") == 0) {
    // An explicit idiv: GCC turns 1/x into a comparison that never traps.
    int zero = 0, eax = 1, edx = 0;
    __asm__ volatile("idivl %2" : "+a"(eax), "+d"(edx) : "r"(zero));
  } else if (strcmp(kind, "ud2") == 0) {
    __asm__ volatile("ud2");
  } else if (strcmp(kind, "jump") == 0) {
    void (*volatile f)(void) = (void (*)(void))0x8000000000001000ull;
    f();
  } else if (strcmp(kind, "int3") == 0) {
    __asm__ volatile("int3");
  } else {
    fprintf(stderr, "crash: unknown kind %s\n", kind);
    return 2;
  }
  fprintf(stderr, "crash: %s did not kill the program\n", kind);
  return 1;
}
