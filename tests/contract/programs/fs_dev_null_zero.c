// /dev/null and /dev/zero [man 4 null].
#include "contract.h"

int main(void) {
  int null = open("/dev/null", O_RDWR);
  char buf[64];
  memset(buf, 'x', sizeof(buf));
  T_CALL(read(null, buf, sizeof(buf)));
  T_CALL(write(null, buf, sizeof(buf)));
  T_CALL(write(null, buf, 0));
  T_CALL(lseek(null, 100, SEEK_SET));
  int zero = open("/dev/zero", O_RDWR);
  T_CALL(read(zero, buf, sizeof(buf)));
  int nonzero = 0;
  for (size_t i = 0; i < sizeof(buf); ++i) nonzero += buf[i] != 0;
  printf("nonzero after /dev/zero read: %d\n", nonzero);
  T_CALL(write(zero, buf, 10));
  char* big = malloc(1 << 20);
  T_CALL(read(zero, big, 1 << 20));
  T_CALL(write(null, big, 1 << 20));
  T_CALL(read(null, T_BAD_PTR, 10));
  T_CALL(read(zero, T_BAD_PTR, 10));
  T_CALL(write(null, T_BAD_PTR, 10));
  return 0;
}
