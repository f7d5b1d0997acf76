// mincore(2) reports resident pages of an anonymous mapping: untouched 0, touched 1;
// mlock/munlock on mapped ranges succeed, on holes ENOMEM [man 2 mincore, man 2 mlock].
#include <sys/mman.h>

#include "contract.h"

int main(void) {
  char* p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  p[0] = 1;
  p[2 * 4096] = 1;
  unsigned char vec[4];
  T_CALL(mincore(p, 4 * 4096, vec));
  printf("resident: %d %d %d %d\n", vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
  T_CALL(mincore(p + 1, 4096, vec));
  T_CALL(mincore(p, 4096, T_BAD_PTR));
  munmap(p + 3 * 4096, 4096);
  T_CALL(mincore(p, 4 * 4096, vec));
  T_CALL(mlock(p, 4096));
  T_CALL(munlock(p, 4096));
  T_CALL(mlock(p, 4 * 4096));
  T_CALL(mlock(p + 3 * 4096, 4096));
  T_CALL(mlockall(0));
  T_CALL(mlockall(MCL_CURRENT));
  T_CALL(munlockall());
  return 0;
}
