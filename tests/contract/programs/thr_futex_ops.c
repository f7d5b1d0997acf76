// futex(2) operations with waiters: FUTEX_WAKE_OP with every op (SET, ADD, OR, ANDN, XOR, the
// OPARG_SHIFT form, a negative oparg) and every comparison (EQ, NE, LT, LE, GT, GE), unknown
// ops and comparisons ENOSYS; FUTEX_REQUEUE and FUTEX_CMP_REQUEUE moving a waiter to another
// word; bitsets; private and shared keys apart; timeouts relative for FUTEX_WAIT and absolute
// for FUTEX_WAIT_BITSET, on CLOCK_MONOTONIC and with FUTEX_CLOCK_REALTIME [man 2 futex].
#include <pthread.h>
#include <sys/mman.h>
#include <time.h>

#include "contract.h"
#include "futex.h"

#define P(op) ((op) | FUTEX_PRIVATE_FLAG)
enum { kSet, kAdd, kOr, kAndn, kXor, kShift = 8 };
enum { kEq, kNe, kLt, kLe, kGt, kGe };

static long Futex(volatile int* addr, int op, long val, const void* ts, volatile int* addr2,
                  int val3) {
  return syscall(SYS_futex, addr, op, val, ts, addr2, val3);
}

static void SleepMs(int ms) {
  struct timespec ts = {0, ms * 1000 * 1000};
  nanosleep(&ts, NULL);
}

static long NowNs(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static volatile int g_word1, g_word2;

// --- FUTEX_WAKE_OP's ops, with nobody waiting: only the stored value and the count matter.
static void Op(const char* name, int op, int oparg, int start) {
  g_word2 = start;
  long r = Futex(&g_word1, P(FUTEX_WAKE_OP), 1, (void*)1, &g_word2, FUTEX_OP(op, oparg, kEq, 0));
  printf("WAKE_OP %s: %d -> %d, returned %ld", name, start, g_word2, r);
  printf(r < 0 ? " %s\n" : "\n", t_errname(errno));
}

// --- The comparisons need a waiter on word2: one thread that sleeps on it again and again.
static volatile int g_round, g_stop;

static void* Word2Waiter(void* arg) {
  (void)arg;
  while (!g_stop) {
    int v = g_word2;
    __atomic_add_fetch(&g_round, 1, __ATOMIC_SEQ_CST);
    Futex(&g_word2, P(FUTEX_WAIT), v, NULL, NULL, 0);
  }
  return NULL;
}

static int g_seen_round;

static void WaitForWaiter(void) {
  while (g_round == g_seen_round) sched_yield();
  g_seen_round = g_round;
  SleepMs(30);  // let it reach FUTEX_WAIT
}

static void Cmp(const char* name, int cmp, int old, int cmparg) {
  WaitForWaiter();
  g_word2 = old;  // the waiter sleeps on the previous value: this does not wake it
  long r = Futex(&g_word1, P(FUTEX_WAKE_OP), 1, (void*)1, &g_word2, FUTEX_OP(kAdd, 0, cmp, cmparg));
  printf("WAKE_OP cmp %s: old %d, cmparg %d: woke %ld", name, old, cmparg, r);
  if (r == 0) {
    // Not woken by the comparison: a plain wake must still find it asleep.
    printf(", then FUTEX_WAKE woke %ld", Futex(&g_word2, P(FUTEX_WAKE), 1, NULL, NULL, 0));
  }
  printf("\n");
}

// --- Requeue and bitsets: waiters that sleep once on a word.
struct Once {
  volatile int* word;
  int op;
  int bitset;
  volatile int started;
  long result;
};

static void* SleepOnce(void* arg) {
  struct Once* o = arg;
  o->started = 1;
  o->result = Futex(o->word, o->op, 0, NULL, NULL, o->bitset);
  return NULL;
}

static void Start(pthread_t* t, struct Once* o) {
  pthread_create(t, NULL, SleepOnce, o);
  while (!o->started) sched_yield();
  SleepMs(30);
}

static void Timed(const char* name, int op, int bitset, long ts_ns, long min_ms) {
  struct timespec ts = {ts_ns / 1000000000L, ts_ns % 1000000000L};
  g_word1 = 0;
  long start = NowNs(CLOCK_MONOTONIC);
  long r = Futex(&g_word1, op, 0, &ts, NULL, bitset);
  int e = errno;
  long ms = (NowNs(CLOCK_MONOTONIC) - start) / 1000000;
  printf("%s = %ld %s; waited at least %ld ms: %s, less than 5 s: %s\n", name, r,
         r < 0 ? t_errname(e) : "", min_ms, ms >= min_ms ? "true" : "false",
         ms < 5000 ? "true" : "false");
}

int main(void) {
  Op("SET 5", kSet, 5, 3);
  Op("ADD 5", kAdd, 5, 3);
  Op("ADD -1", kAdd, -1, 3);
  Op("OR 0x30", kOr, 0x30, 0x3);
  Op("ANDN 0x2", kAndn, 0x2, 0x7);
  Op("XOR 0x5", kXor, 0x5, 0x6);
  Op("SET|SHIFT 4", kSet | kShift, 4, 3);
  Op("OR|SHIFT 31", kOr | kShift, 31, 1);
  Op("op 5", 5, 1, 3);
  Op("op 7", 7, 1, 3);
  // uaddr2 must be writable: a read-only word is EFAULT and stays as it was.
  int* ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  T_CALL(Futex(&g_word1, P(FUTEX_WAKE_OP), 1, (void*)1, ro, FUTEX_OP(kSet, 5, kEq, 0)));
  printf("read-only word2 after that: %d\n", ro[0]);
  T_CALL(Futex(&g_word1, P(FUTEX_WAKE_OP), 1, (void*)1, (volatile int*)((char*)&g_word2 + 2),
               FUTEX_OP(kSet, 5, kEq, 0)));
  T_CALL(Futex(&g_word1, P(FUTEX_REQUEUE), 1, (void*)1, (volatile int*)((char*)&g_word2 + 1), 0));
  T_CALL(Futex(&g_word1, P(FUTEX_CMP_REQUEUE), 1, (void*)1, T_BAD_PTR, 0));
  g_word2 = 3;
  long r = Futex(&g_word1, P(FUTEX_WAKE_OP), 1, (void*)1, &g_word2, FUTEX_OP(kAdd, 1, 6, 0));
  printf("WAKE_OP cmp 6: returned %ld %s, word2 %d\n", r, t_errname(errno), g_word2);

  pthread_t waiter;
  pthread_create(&waiter, NULL, Word2Waiter, NULL);
  Cmp("EQ", kEq, 4, 4);
  Cmp("EQ", kEq, 4, 5);
  Cmp("NE", kNe, 4, 5);
  Cmp("NE", kNe, 4, 4);
  Cmp("LT", kLt, 3, 4);
  Cmp("LT", kLt, 4, 4);
  Cmp("LE", kLe, 4, 4);
  Cmp("LE", kLe, 5, 4);
  Cmp("GT", kGt, 5, 4);
  Cmp("GT", kGt, 4, 4);
  Cmp("GE", kGe, 4, 4);
  Cmp("GE", kGe, 3, 4);
  Cmp("LT negative", kLt, -2, -1);
  Cmp("GT negative", kGt, -2, -1);
  // A private waiter is not woken through the shared key, nor the reverse.
  WaitForWaiter();
  T_CALL(Futex(&g_word2, FUTEX_WAKE, 1, NULL, NULL, 0));
  g_stop = 1;
  g_word2 = 100;
  T_CALL(Futex(&g_word2, P(FUTEX_WAKE), 1, NULL, NULL, 0));
  pthread_join(waiter, NULL);

  // FUTEX_CMP_REQUEUE and FUTEX_REQUEUE: two waiters on word1; none woken, one moved to
  // word2; then a wake on each word finds one.
  g_word1 = 0;
  g_word2 = 0;
  pthread_t t[2];
  struct Once o[2] = {{&g_word1, P(FUTEX_WAIT), 0, 0, 0}, {&g_word1, P(FUTEX_WAIT), 0, 0, 0}};
  Start(&t[0], &o[0]);
  Start(&t[1], &o[1]);
  T_CALL(Futex(&g_word1, P(FUTEX_CMP_REQUEUE), 0, (void*)1, &g_word2, 1));  // word1 is 0
  T_CALL(Futex(&g_word1, P(FUTEX_CMP_REQUEUE), 0, (void*)1, &g_word2, 0));
  T_CALL(Futex(&g_word1, P(FUTEX_CMP_REQUEUE), 0, (void*)0, &g_word2, 0));  // nothing to do
  T_CALL(Futex(&g_word1, P(FUTEX_CMP_REQUEUE), -1, (void*)1, &g_word2, 0));
  T_CALL(Futex(&g_word1, P(FUTEX_WAKE), 10, NULL, NULL, 0));
  T_CALL(Futex(&g_word2, P(FUTEX_WAKE), 10, NULL, NULL, 0));
  pthread_join(t[0], NULL);
  pthread_join(t[1], NULL);
  printf("requeued waiters returned %ld and %ld\n", o[0].result, o[1].result);
  memset(o, 0, sizeof(o));
  o[0] = (struct Once){&g_word1, P(FUTEX_WAIT), 0, 0, 0};
  o[1] = (struct Once){&g_word1, P(FUTEX_WAIT), 0, 0, 0};
  Start(&t[0], &o[0]);
  Start(&t[1], &o[1]);
  T_CALL(Futex(&g_word1, P(FUTEX_REQUEUE), 1, (void*)5, &g_word2, 0));  // wake 1, move 1
  T_CALL(Futex(&g_word2, P(FUTEX_WAKE), 10, NULL, NULL, 0));
  pthread_join(t[0], NULL);
  pthread_join(t[1], NULL);

  // Bitsets: a waiter on bit 0 is not woken by bit 1, is by a set with bit 0; FUTEX_WAKE
  // matches every bitset.
  o[0] = (struct Once){&g_word1, P(FUTEX_WAIT_BITSET), 0x1, 0, 0};
  Start(&t[0], &o[0]);
  T_CALL(Futex(&g_word1, P(FUTEX_WAKE_BITSET), 10, NULL, NULL, 0x2));
  T_CALL(Futex(&g_word1, P(FUTEX_WAKE_BITSET), 10, NULL, NULL, 0x3));
  pthread_join(t[0], NULL);
  o[0] = (struct Once){&g_word1, P(FUTEX_WAIT_BITSET), 0x4, 0, 0};
  Start(&t[0], &o[0]);
  T_CALL(Futex(&g_word1, P(FUTEX_WAKE), 10, NULL, NULL, 0));
  pthread_join(t[0], NULL);

  // A shared futex is keyed by the file page, not the address: a waiter on one mapping of a
  // file is woken through another mapping of it; a private wake through the other does not.
  t_make_file("f", "");
  int fd = open("f", O_RDWR);
  if (ftruncate(fd, 4096) != 0) return 1;
  volatile int* m1 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  volatile int* m2 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  T_TRUE(m1 != m2);
  o[0] = (struct Once){m1 + 4, FUTEX_WAIT, 0, 0, 0};
  Start(&t[0], &o[0]);
  T_CALL(Futex(m2 + 4, P(FUTEX_WAKE), 10, NULL, NULL, 0));
  T_CALL(Futex(m2 + 4, FUTEX_WAKE, 10, NULL, NULL, 0));
  pthread_join(t[0], NULL);

  // Timeouts.
  Timed("FUTEX_WAIT relative 50 ms", P(FUTEX_WAIT), 0, 50000000L, 50);
  Timed("FUTEX_WAIT_BITSET monotonic now+50 ms", P(FUTEX_WAIT_BITSET), -1,
        NowNs(CLOCK_MONOTONIC) + 50000000L, 50);
  Timed("FUTEX_WAIT_BITSET|CLOCK_REALTIME realtime now+50 ms",
        P(FUTEX_WAIT_BITSET) | FUTEX_CLOCK_REALTIME, -1, NowNs(CLOCK_REALTIME) + 50000000L, 50);
  Timed("FUTEX_WAIT_BITSET|CLOCK_REALTIME realtime now-1 s",
        P(FUTEX_WAIT_BITSET) | FUTEX_CLOCK_REALTIME, -1, NowNs(CLOCK_REALTIME) - 1000000000L, 0);
  Timed("FUTEX_WAIT_BITSET monotonic 0", P(FUTEX_WAIT_BITSET), -1, 0, 0);
  // FUTEX_CLOCK_REALTIME goes only with FUTEX_WAIT_BITSET (and the PI waits): not even with
  // FUTEX_WAIT, whatever futex(2) says of Linux 4.5 [linux kernel/futex/syscalls.c do_futex].
  struct timespec rel = {0, 50000000L};
  T_CALL(Futex(&g_word1, P(FUTEX_WAIT) | FUTEX_CLOCK_REALTIME, 0, &rel, NULL, 0));
  T_CALL(Futex(&g_word1, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 0, &rel, NULL, 0));
  T_CALL(Futex(&g_word1, P(FUTEX_WAKE) | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0));
  T_CALL(Futex(&g_word1, P(FUTEX_WAKE_OP) | FUTEX_CLOCK_REALTIME, 1, NULL, &g_word2, 0));
  T_CALL(Futex(&g_word1, P(FUTEX_REQUEUE) | FUTEX_CLOCK_REALTIME, 1, NULL, &g_word2, 0));
  return 0;
}
