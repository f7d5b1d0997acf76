// chmod/fchmod/fchmodat/chown: mode bits, setuid clearing on chown, errors [man 2 chmod].
#include "contract.h"

static void Show(const char* path) {
  struct stat st;
  lstat(path, &st);
  printf("%s: %04o uid %d gid %d\n", path, (unsigned)(st.st_mode & 07777), (int)st.st_uid,
         (int)st.st_gid);
}

int main(void) {
  t_make_file("f", "x");
  T_CALL(chmod("f", 04755));
  Show("f");
  T_CALL(chmod("f", 0177777));  // only 07777 is kept
  Show("f");
  int fd = open("f", O_RDONLY);
  T_CALL(fchmod(fd, 0600));
  Show("f");
  T_CALL(fchmodat(AT_FDCWD, "f", 0640, 0));
  T_CALL(fchmodat(AT_FDCWD, "f", 0640, 0x1000));
  T_CALL(chmod("missing", 0600));
  T_CALL(fchmod(999, 0600));
  T_CALL(chown("f", 1000, 1000));
  Show("f");
  T_CALL(chmod("f", 06755));
  T_CALL(chown("f", 1001, -1));  // clears set-user-ID and set-group-ID
  Show("f");
  T_CALL(fchown(fd, -1, 2000));
  Show("f");
  symlink("f", "ln");
  T_CALL(lchown("ln", 3000, 3000));
  Show("ln");
  Show("f");
  pid_t child = fork();
  if (child == 0) {
    setgid(1000);
    setuid(1000);
    printf("unprivileged chmod of another's file: %s\n",
           chmod("f", 0777) < 0 ? t_errname(errno) : "ok");
    printf("unprivileged chown: %s\n", chown("f", 1000, 1000) < 0 ? t_errname(errno) : "ok");
    _exit(0);
  }
  t_wait(child, "child");
  return 0;
}
