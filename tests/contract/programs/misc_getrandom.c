// getrandom(2): returns the length asked (up to 32 MiB - 1 per call for the urandom pool),
// the bytes differ between calls, bad flags are EINVAL [man 2 getrandom].
#include <sys/random.h>

#include "contract.h"

int main(void) {
  unsigned char a[64], b[64];
  T_CALL(getrandom(a, sizeof(a), 0));
  T_CALL(getrandom(b, sizeof(b), GRND_NONBLOCK));
  printf("two calls differ: %s\n", memcmp(a, b, sizeof(a)) != 0 ? "true" : "false");
  T_CALL(getrandom(a, 0, 0));
  T_CALL(getrandom(a, sizeof(a), 0x100));
  T_CALL(getrandom(T_BAD_PTR, 16, 0));
  T_CALL(getrandom(a, sizeof(a), GRND_RANDOM | GRND_NONBLOCK) > 0);
  int fd = open("/dev/urandom", O_RDONLY);
  T_CALL(read(fd, a, sizeof(a)));
  return 0;
}
