// eventfd: the counter adds on write and is returned and reset on read; EFD_SEMAPHORE
// returns 1 at a time; overflow and short buffers are errors [man 2 eventfd].
#include <sys/eventfd.h>

#include "contract.h"

int main(void) {
  int fd = eventfd(3, EFD_NONBLOCK);
  T_CALL(fd);
  uint64_t v = 0;
  T_CALL(read(fd, &v, sizeof(v)));
  printf("value %llu\n", (unsigned long long)v);
  T_CALL(read(fd, &v, sizeof(v)));
  v = 5;
  T_CALL(write(fd, &v, sizeof(v)));
  T_CALL(write(fd, &v, sizeof(v)));
  read(fd, &v, sizeof(v));
  printf("value %llu\n", (unsigned long long)v);
  v = UINT64_MAX;
  T_CALL(write(fd, &v, sizeof(v)));
  v = UINT64_MAX - 1;
  T_CALL(write(fd, &v, sizeof(v)));
  v = 1;
  T_CALL(write(fd, &v, sizeof(v)));  // would exceed the maximum
  T_CALL(read(fd, &v, 4));
  T_CALL(write(fd, &v, 4));
  int sem = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
  T_CALL(read(sem, &v, sizeof(v)));
  printf("semaphore read %llu\n", (unsigned long long)v);
  T_CALL(read(sem, &v, sizeof(v)));
  T_CALL(read(sem, &v, sizeof(v)));
  T_CALL(eventfd(0, 0x1234));
  return 0;
}
