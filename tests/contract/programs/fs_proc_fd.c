// /proc/self/fd/N links (readlink, lstat size 64, what they name for each kind of file) and
// the pos/flags lines of /proc/self/fdinfo/N [man 5 proc].
#include <dirent.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include "contract.h"

static char g_cwd[4096];

// Prints what /proc/self/fd/<fd> reads as, with the scratch directory written "$CWD" and
// the number inside "pipe:[...]"/"socket:[...]" written "N" (both vary between machines).
static void Link(const char* what, int fd) {
  char path[64], target[4096];
  snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
  long n = readlink(path, target, sizeof(target) - 1);
  if (n < 0) {
    printf("%s: readlink -1 %s\n", what, t_errname(errno));
    return;
  }
  target[n] = 0;
  size_t cwd_len = strlen(g_cwd);
  char* bracket = strchr(target, '[');
  if (strncmp(target, g_cwd, cwd_len) == 0) {
    printf("%s: $CWD%s", what, target + cwd_len);
  } else if (bracket != NULL && strncmp(target, "anon_inode:", 11) != 0) {
    bracket[1] = 0;
    printf("%s: %sN]", what, target);
  } else {
    printf("%s: %s", what, target);
  }
  struct stat st;
  T_REQUIRE(lstat(path, &st) == 0);
  printf(" (lstat: link %d, size %lld)\n", S_ISLNK(st.st_mode), (long long)st.st_size);
}

// Prints the pos: and flags: lines of /proc/self/fdinfo/<fd>.
static void Info(const char* what, int fd) {
  char path[64], text[512];
  snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
  int f = open(path, O_RDONLY);
  if (f < 0) {
    printf("%s: fdinfo -1 %s\n", what, t_errname(errno));
    return;
  }
  long n = read(f, text, sizeof(text) - 1);
  close(f);
  text[n > 0 ? n : 0] = 0;
  printf("%s:", what);
  for (char* line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
    if (strncmp(line, "pos:", 4) == 0 || strncmp(line, "flags:", 6) == 0) printf(" [%s]", line);
  }
  printf("\n");
}

int main(void) {
  T_REQUIRE(getcwd(g_cwd, sizeof(g_cwd)) != NULL);
  t_make_file("file", "0123456789");
  int rw = open("file", O_RDWR);
  int ro = open("file", O_RDONLY | O_CLOEXEC);
  int wa = open("file", O_WRONLY | O_APPEND | O_NONBLOCK);
  int path = open("file", O_PATH);
  mkdir("dir", 0755);
  int dir = open("dir", O_RDONLY | O_DIRECTORY);
  int null = open("/dev/null", O_RDWR);
  int p[2];
  T_REQUIRE(pipe2(p, O_NONBLOCK) == 0);
  int sv[2];
  T_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  int efd = eventfd(0, 0);
  symlink("file", "sym");
  int sym = open("sym", O_PATH | O_NOFOLLOW);

  Link("rw", rw);
  Link("dir", dir);
  Link("O_PATH", path);
  Link("O_PATH|O_NOFOLLOW symlink", sym);
  Link("/dev/null", null);
  Link("pipe", p[0]);
  Link("socket", sv[0]);
  Link("eventfd", efd);
  unlink("file");
  Link("unlinked", rw);
  t_make_file("file", "new");
  Link("unlinked, name reused", rw);
  rename("dir", "moved");
  Link("renamed dir", dir);

  // readlink into a short buffer truncates without a NUL; a bad buffer is EFAULT.
  char small[4] = {'#', '#', '#', '#'};
  char name[64];
  snprintf(name, sizeof(name), "/proc/self/fd/%d", null);
  T_CALL(readlink(name, small, 3));
  t_print_bytes("short", small, 4);
  T_CALL(readlink(name, T_BAD_PTR, 10));
  T_RAW(syscall(SYS_readlink, name, small, 0));  // musl's readlink() hides a size of 0
  T_CALL(readlink("/proc/self/fd/999", small, 3));

  T_CALL(lseek(rw, 7, SEEK_SET));
  Info("rw at 7", rw);
  Info("ro cloexec", ro);
  Info("wronly append nonblock", wa);
  Info("O_PATH", path);
  Info("dir", dir);
  Info("pipe read end", p[0]);
  Info("pipe write end", p[1]);
  T_CALL(fcntl(rw, F_SETFD, FD_CLOEXEC));
  T_CALL(fcntl(rw, F_SETFL, O_APPEND));
  Info("rw after fcntl", rw);

  // The fd directory lists exactly the open descriptors.
  int entries = 0, open_fds = 0;
  for (int fd = 0; fd < 1024; ++fd) open_fds += fcntl(fd, F_GETFD) >= 0;
  DIR* d = opendir("/proc/self/fd");
  struct dirent* e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    ++entries;
  }
  closedir(d);
  printf("fd entries %d, open fds + the directory's own %d\n", entries, open_fds + 1);
  return 0;
}
