// Sessions and process groups: setsid, setpgid (0,0 = own pid), getpgid/getsid, their
// errors, EACCES after the child's exec, and SIGTSTP discarded in an orphaned group while
// SIGSTOP still stops it.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char* E(int rc) {
  if (rc >= 0) return "ok";
  return errno == EPERM    ? "EPERM"
         : errno == ESRCH  ? "ESRCH"
         : errno == EACCES ? "EACCES"
         : errno == EINVAL ? "EINVAL"
                           : strerror(errno);
}

static int Body(char** argv) {
  pid_t me = getpid();
  int rc = setsid();  // a fresh child leads no group: this succeeds wherever we run
  printf("setsid: %s\n", rc == me ? "ok" : E(rc));
  rc = setsid();
  printf("setsid as leader: %s\n", E(rc));
  printf("sid_is_self=%d pgid_is_self=%d\n", getsid(0) == me, getpgid(0) == me);
  rc = setpgid(0, 0);
  printf("setpgid(0,0) by session leader: %s\n", E(rc));
  rc = getpgid(999999);
  printf("getpgid(unknown): %s\n", E(rc));
  rc = setpgid(0, -1);
  printf("setpgid(0,-1): %s\n", E(rc));

  int ready[2];
  (void)!pipe(ready);
  pid_t c = fork();
  if (c == 0) {
    char b;
    (void)!read(ready[0], &b, 1);
    execl("/proc/self/exe", argv[0], "child", (char*)NULL);
    _exit(127);
  }
  rc = setpgid(c, c);
  printf("setpgid(child, child): %s pgid_ok=%d same_session=%d\n", E(rc), getpgid(c) == c,
         getsid(c) == getsid(0));
  rc = setpgid(c, me);
  printf("setpgid(child, my group): %s\n", E(rc));
  (void)!write(ready[1], "x", 1);
  usleep(200000);  // the child execs
  rc = setpgid(c, c);
  printf("setpgid after exec: %s\n", E(rc));
  kill(c, SIGKILL);
  waitpid(c, NULL, 0);

  // An orphaned group: a grandchild whose parent has exited (reparented to init) in a group
  // of its own. SIGTSTP is discarded there; SIGSTOP is not.
  int report[2];
  (void)!pipe(report);
  c = fork();
  if (c == 0) {
    pid_t g = fork();
    if (g == 0) {
      setpgid(0, 0);
      usleep(300000);  // the parent is gone: the group is orphaned
      raise(SIGTSTP);
      (void)!write(report[1], "T", 1);  // still running: SIGTSTP was discarded
      _exit(0);
    }
    _exit(0);
  }
  waitpid(c, NULL, 0);
  char r = '?';
  (void)!read(report[0], &r, 1);
  printf("orphaned group after SIGTSTP: %s\n", r == 'T' ? "still running" : "stopped");
  return 0;
}

int main(int argc, char** argv) {
  if (argc > 1) {  // re-executed child: just wait to be killed
    pause();
    return 0;
  }
  setvbuf(stdout, NULL, _IONBF, 0);
  pid_t c = fork();
  if (c == 0) _exit(Body(argv));
  int st;
  waitpid(c, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
