// clone(2)'s tid words and CLONE_VFORK, and clone3(2): CLONE_PARENT_SETTID stores the child's
// tid in the parent's memory, CLONE_CHILD_SETTID in the child's, CLONE_CHILD_CLEARTID zeroes
// the word and wakes a futex when the child exits while its memory is still shared (not for
// a child with a memory of its own: mm_release checks mm_users > 1); CLONE_VFORK suspends the
// parent until the child exits; set_tid_address sets up the clear-tid word from the child
// [man 2 clone, man 2 set_tid_address].
#include <sched.h>
#include <sys/mman.h>
#include <time.h>

#include "contract.h"

#define FUTEX_WAIT 0
#define kStackSize (64 * 1024)

static char g_stack[kStackSize] __attribute__((aligned(16)));
static volatile int g_memory;
static volatile int g_ptid;
static volatile int g_ctid;

static void SleepMs(int ms) {
  struct timespec ts = {0, ms * 1000 * 1000};
  nanosleep(&ts, NULL);
}

static int SlowChild(void* arg) {
  (void)arg;
  SleepMs(100);
  g_memory = 2;
  return 0;
}

// Without CLONE_VM the child checks its own copy of the words: exit 0 when its ctid is its tid
// and its ptid is still what it was before the clone.
static int CheckOwnWords(void* arg) {
  (void)arg;
  return (g_ctid == (int)syscall(SYS_gettid) ? 0 : 1) | (g_ptid == 0 ? 0 : 2);
}

// set_tid_address(2) from the child: returns its tid; the word it names is zeroed and woken
// at its exit like CLONE_CHILD_CLEARTID's.
static volatile int g_set_tid_word = -1;
static int SetsTidAddress(void* arg) {
  (void)arg;
  long tid = syscall(SYS_set_tid_address, &g_set_tid_word);
  g_set_tid_word = (int)tid;
  SleepMs(100);
  return tid == syscall(SYS_gettid) ? 0 : 1;
}

// A vfork-style child that execs: the exec releases its old memory, the parent's, and with it
// the clear-tid word (exec_mm_release).
static int Execs(void* arg) {
  (void)arg;
  char* argv[] = {"contract-helper", "exit", "5", NULL};
  execve(t_helper_path(), argv, argv + 3);
  return 127;
}

static int Quick(void* arg) {
  (void)arg;
  return 0;
}

int main(void) {
  // CLONE_PARENT_SETTID and CLONE_CHILD_SETTID without CLONE_VM.
  g_ptid = 0;
  g_ctid = 0;
  int pid = clone(CheckOwnWords, g_stack + kStackSize,
                  CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | SIGCHLD, NULL, &g_ptid, NULL, &g_ctid);
  T_TRUE(pid > 0);
  T_TRUE(g_ptid == pid);
  t_wait(pid, "fork-like child with PARENT_SETTID|CHILD_SETTID");
  T_TRUE(g_ctid == 0);

  // CLONE_CHILD_SETTID with CLONE_VM: the parent sees the child's store.
  g_ctid = 0;
  pid = clone(Quick, g_stack + kStackSize, CLONE_VM | CLONE_CHILD_SETTID | SIGCHLD, NULL, NULL,
              NULL, &g_ctid);
  t_wait(pid, "CLONE_VM|CLONE_CHILD_SETTID child");
  T_TRUE(g_ctid == pid);

  // CLONE_CHILD_CLEARTID with CLONE_VM: the exit zeroes the word and wakes the futex waiter
  // (without the wake this FUTEX_WAIT never returns and the program times out).
  g_ctid = -1;
  pid = clone(SlowChild, g_stack + kStackSize,
              CLONE_VM | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD, NULL, NULL, NULL,
              &g_ctid);
  int v;
  int waits = 0;
  while ((v = g_ctid) != 0) {
    syscall(SYS_futex, &g_ctid, FUTEX_WAIT, v, NULL, NULL, 0);
    ++waits;
  }
  T_TRUE(waits >= 1);
  T_TRUE(g_ctid == 0);
  t_wait(pid, "CLONE_VM|CLONE_CHILD_CLEARTID child");

  // set_tid_address with CLONE_VM: the same contract, set up by the child itself.
  pid = clone(SetsTidAddress, g_stack + kStackSize, CLONE_VM | SIGCHLD, NULL);
  waits = 0;
  while ((v = g_set_tid_word) != 0) {
    syscall(SYS_futex, &g_set_tid_word, FUTEX_WAIT, v, NULL, NULL, 0);
    ++waits;
  }
  T_TRUE(waits >= 1);
  t_wait(pid, "CLONE_VM child calling set_tid_address");

  // CLONE_CHILD_CLEARTID with CLONE_VM|CLONE_VFORK, the child execs: the word is zeroed (in the
  // memory the parent keeps) by the exec, before the parent runs again.
  g_ctid = 77;
  pid = clone(Execs, g_stack + kStackSize, CLONE_VM | CLONE_VFORK | CLONE_CHILD_CLEARTID | SIGCHLD,
              NULL, NULL, NULL, &g_ctid);
  printf("vfork child exec'd: clear-tid word %d\n", g_ctid);
  t_wait(pid, "vfork child that exec'd");

  // CLONE_CHILD_CLEARTID without CLONE_VM, the word on a MAP_SHARED page: the child's memory
  // is its own (mm_users == 1), so nothing is written.
  volatile int* shared =
      mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  shared[0] = 55;
  pid = clone(Quick, g_stack + kStackSize, CLONE_CHILD_CLEARTID | SIGCHLD, NULL, NULL, NULL,
              (int*)shared);
  t_wait(pid, "fork-like child with CLONE_CHILD_CLEARTID");
  printf("shared word after that child exited: %d\n", shared[0]);

  // CLONE_VFORK: clone returns only once the child has exited.
  g_memory = 0;
  pid = clone(SlowChild, g_stack + kStackSize, CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
  printf("CLONE_VFORK: memory when clone returned: %d\n", g_memory);
  t_wait(pid, "CLONE_VFORK child");
  // Without CLONE_VFORK, the parent runs on while the child sleeps.
  g_memory = 0;
  pid = clone(SlowChild, g_stack + kStackSize, CLONE_VM | SIGCHLD, NULL);
  printf("CLONE_VM alone: memory when clone returned: %d\n", g_memory);
  t_wait(pid, "CLONE_VM child");
  printf("CLONE_VM alone: memory after wait: %d\n", g_memory);
  return 0;
}
