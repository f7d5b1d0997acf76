// contract-helper: the program contract tests execve into, to see what crossed the exec.
//   contract-helper args [...]   prints argc, argv (CONTRACT_BIN shown as $BIN) and environ
//   contract-helper fds          prints every open fd below 64 with its fd and status flags
//   contract-helper sigstate     prints non-default dispositions, the blocked and pending sets
//   contract-helper exit N       exits with status N
//   contract-helper pause        waits for a signal forever
#include "contract.h"

static void PrintWord(const char* label, const char* word) {
  const char* bin = getenv("CONTRACT_BIN");
  size_t n = bin != NULL ? strlen(bin) : 0;
  if (n > 0 && strncmp(word, bin, n) == 0) {
    printf("%s: \"$BIN%s\"\n", label, word + n);
  } else {
    printf("%s: \"%s\"\n", label, word);
  }
}

int main(int argc, char** argv, char** envp) {
  const char* mode = argc > 1 ? argv[1] : "args";
  if (strcmp(mode, "fds") == 0) {
    for (int fd = 0; fd < 64; ++fd) {
      int fdflags = fcntl(fd, F_GETFD);
      if (fdflags < 0) continue;
      int fl = fcntl(fd, F_GETFL);
      printf("fd %d: cloexec=%d accmode=%d append=%d nonblock=%d\n", fd,
             (fdflags & FD_CLOEXEC) != 0, fl & O_ACCMODE, (fl & O_APPEND) != 0,
             (fl & O_NONBLOCK) != 0);
    }
    return 0;
  }
  if (strcmp(mode, "sigstate") == 0) {
    sigset_t blocked, pending;
    sigprocmask(SIG_BLOCK, NULL, &blocked);
    sigpending(&pending);
    for (int sig = 1; sig < 32; ++sig) {
      struct sigaction sa;
      if (sigaction(sig, NULL, &sa) != 0) continue;
      if (sa.sa_handler == SIG_IGN)
        printf("%s: ignored\n", t_signame(sig));
      else if (sa.sa_handler != SIG_DFL)
        printf("%s: handler\n", t_signame(sig));
      if (sigismember(&blocked, sig)) printf("%s: blocked\n", t_signame(sig));
      if (sigismember(&pending, sig)) printf("%s: pending\n", t_signame(sig));
    }
    return 0;
  }
  if (strcmp(mode, "exit") == 0) return argc > 2 ? atoi(argv[2]) : 0;
  if (strcmp(mode, "pause") == 0) {
    for (;;) pause();
  }
  printf("argc: %d\n", argc);
  for (int i = 0; i < argc; ++i) {
    char label[32];
    snprintf(label, sizeof(label), "argv[%d]", i);
    PrintWord(label, argv[i]);
  }
  for (int i = 0; envp[i] != NULL; ++i) {
    if (strncmp(envp[i], "CONTRACT_BIN=", 13) == 0) continue;
    char label[32];
    snprintf(label, sizeof(label), "env[%d]", i);
    PrintWord(label, envp[i]);
  }
  return 0;
}
