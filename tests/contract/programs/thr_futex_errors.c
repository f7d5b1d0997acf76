// futex(2) directly: value mismatch EAGAIN, timeouts ETIMEDOUT, bad ops ENOSYS, unaligned
// EINVAL, bad addresses EFAULT, wake with no waiters 0 [man 2 futex].
#include <time.h>

#include "contract.h"
#include "futex.h"

static long Futex(void* addr, int op, int val, const struct timespec* ts, void* addr2, int val3) {
  return syscall(SYS_futex, addr, op, val, ts, addr2, val3);
}

int main(void) {
  static int word = 5;
  static int word2 = 0;
  struct timespec short_wait = {0, 10 * 1000 * 1000};
  T_CALL(Futex(&word, FUTEX_WAIT, 4, NULL, NULL, 0));
  T_CALL(Futex(&word, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0));
  T_CALL(Futex(&word, FUTEX_WAIT, 5, &short_wait, NULL, 0));
  T_CALL(Futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0));
  T_CALL(Futex(&word, FUTEX_WAKE_PRIVATE, 100, NULL, NULL, 0));
  T_CALL(Futex(&word, 99, 0, NULL, NULL, 0));
  T_CALL(Futex((char*)&word + 1, FUTEX_WAIT, 5, &short_wait, NULL, 0));
  T_CALL(Futex((char*)&word + 1, FUTEX_WAKE, 1, NULL, NULL, 0));
  T_CALL(Futex(T_BAD_PTR, FUTEX_WAIT, 5, &short_wait, NULL, 0));
  struct timespec bad = {0, 1000000000};
  T_CALL(Futex(&word, FUTEX_WAIT, 5, &bad, NULL, 0));
  struct timespec neg = {-1, 0};
  T_CALL(Futex(&word, FUTEX_WAIT, 5, &neg, NULL, 0));
  T_CALL(Futex(&word, FUTEX_CMP_REQUEUE, 1, (void*)1, &word2, 4));  // val3 mismatch
  T_CALL(Futex(&word, FUTEX_CMP_REQUEUE, 1, (void*)1, &word2, 5));
  T_CALL(Futex(&word, FUTEX_REQUEUE, 1, (void*)1, &word2, 0));
  T_CALL(Futex(&word, FUTEX_WAKE_OP, 1, (void*)1, &word2,
               FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0)));
  printf("word2 after WAKE_OP add: %d\n", word2);
  T_CALL(Futex(&word, FUTEX_WAIT_BITSET, 5, &short_wait, NULL, 0));  // bitset 0
  struct timespec abs;
  clock_gettime(CLOCK_MONOTONIC, &abs);
  T_CALL(Futex(&word, FUTEX_WAIT_BITSET, 5, &abs, NULL, -1));  // absolute, already passed
  T_CALL(Futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0));
  T_CALL(Futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, -1));
  return 0;
}
