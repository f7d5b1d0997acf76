// Mount namespaces [man 7 mount_namespaces, man 2 unshare, man 2 clone]: unshare(CLONE_NEWNS)
// and clone(CLONE_NEWNS) give the caller a copy of the mount tree; mounts made in the copy are
// not seen outside it (propagation made private first, as unshare(1) does) and vanish with
// the last process in it; the caller's cwd and root stay where they were. unshare's flag
// checks, and EPERM without privilege.
#include <limits.h>
#include <sched.h>
#include <sys/mount.h>

#include "contract.h"

static int to_parent[2], to_child[2];

static void report_inside(const char* who) {
  printf("%s: m/inside exists: %s\n", who, access("m/inside", F_OK) == 0 ? "true" : "false");
}

static int in_new_namespace(int how_clone) {
  char before[PATH_MAX], after[PATH_MAX];
  T_REQUIRE(getcwd(before, sizeof(before)) != NULL);
  if (!how_clone) T_CALL(unshare(CLONE_NEWNS));
  T_CALL(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
  T_REQUIRE(getcwd(after, sizeof(after)) != NULL);
  printf("cwd unchanged: %s\n", strcmp(before, after) == 0 ? "true" : "false");
  T_CALL(mount("none", "m", "tmpfs", 0, NULL));
  t_make_file("m/inside", "x");
  report_inside("new namespace");
  // A file made outside before the mount is hidden by it, here only.
  t_print_file("m/under");
  char c = 1;
  T_REQUIRE(write(to_parent[1], &c, 1) == 1);
  T_REQUIRE(read(to_child[0], &c, 1) == 1);
  report_inside("new namespace, later");
  return 0;
}

static int by_unshare(void* arg) {
  (void)arg;
  return in_new_namespace(0);
}

static int by_clone_child(void* arg) {
  (void)arg;
  return in_new_namespace(1);
}

static void run(const char* label, pid_t pid) {
  char c;
  T_REQUIRE(pid > 0);
  T_REQUIRE(read(to_parent[0], &c, 1) == 1);
  report_inside(label);
  t_print_file("m/under");
  T_REQUIRE(write(to_child[1], &c, 1) == 1);
  t_wait(pid, label);
  report_inside(label);
  T_CALL(umount2("m", 0));  // never mounted here
}

static int unprivileged(void* arg) {
  (void)arg;
  T_REQUIRE(setuid(65534) == 0);
  T_CALL(unshare(CLONE_NEWNS));
  T_CALL(unshare(CLONE_FS));
  return 0;
}

static char clone_stack[64 * 1024] __attribute__((aligned(16)));

int main(void) {
  // What unshare accepts on a single-threaded process.
  T_CALL(unshare(0));
  T_CALL(unshare(CLONE_FS));
  T_CALL(unshare(CLONE_FILES));
  T_CALL(unshare(CLONE_FS | CLONE_FILES | CLONE_SYSVSEM));
  T_CALL(unshare(CLONE_THREAD | CLONE_SIGHAND | CLONE_VM));
  T_CALL(unshare(0x1));           // an exit-signal bit: not a flag of unshare
  T_CALL(unshare(CLONE_SETTLS));  // nor is this
  t_wait(t_fork(unprivileged, NULL), "unprivileged");

  T_REQUIRE(mkdir("m", 0755) == 0);
  t_make_file("m/under", "under\n");
  T_REQUIRE(pipe(to_parent) == 0 && pipe(to_child) == 0);
  run("after unshare", t_fork(by_unshare, NULL));
  run("after clone",
      clone(by_clone_child, clone_stack + sizeof(clone_stack), CLONE_NEWNS | SIGCHLD, NULL));
  return 0;
}
