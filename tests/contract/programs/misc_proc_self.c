// /proc/self: readlink of exe and cwd, the fd directory, status Name, stat's comm field
// [man 5 proc].
#include <dirent.h>

#include "contract.h"

int main(void) {
  char buf[4096];
  long n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n > 0) buf[n] = '\0';
  printf("exe ends with /misc_proc_self: %s\n",
         n > 0 && strstr(buf, "/misc_proc_self") != NULL ? "true" : "false");
  mkdir("here", 0755);
  chdir("here");
  n = readlink("/proc/self/cwd", buf, sizeof(buf) - 1);
  if (n > 0) buf[n] = '\0';
  printf("cwd ends with /here: %s\n",
         n > 5 && strcmp(buf + n - 5, "/here") == 0 ? "true" : "false");
  int fd = open("/proc/self/status", O_RDONLY);
  n = read(fd, buf, sizeof(buf) - 1);
  buf[n > 0 ? n : 0] = '\0';
  char* name = strstr(buf, "Name:");
  if (name) {
    char* end = strchr(name, '\n');
    if (end) *end = '\0';
  }
  printf("status %s\n", name ? name : "(no Name line)");
  close(fd);
  DIR* d = opendir("/proc/self/fd");
  int count = 0;
  struct dirent* e;
  while (d && (e = readdir(d)) != NULL)
    if (e->d_name[0] != '.') ++count;
  printf("open fds listed (0,1,2 and the directory itself): %d\n", count);
  fd = open("/proc/self/stat", O_RDONLY);
  n = read(fd, buf, sizeof(buf) - 1);
  buf[n > 0 ? n : 0] = '\0';
  char* open_paren = strchr(buf, '(');
  char* close_paren = strrchr(buf, ')');
  if (open_paren && close_paren) {
    *close_paren = '\0';
    printf("stat comm: %s, state after it: %c\n", open_paren + 1, close_paren[2]);
  }
  T_CALL(open("/proc/self/nonexistent", O_RDONLY));
  return 0;
}
