// signalfd: blocked signals are read as signalfd_siginfo records; EAGAIN when none with
// SFD_NONBLOCK; a short buffer is EINVAL [man 2 signalfd].
#include <sys/signalfd.h>

#include "contract.h"

int main(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGUSR2);
  sigprocmask(SIG_BLOCK, &set, NULL);
  int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  T_CALL(fd);
  struct signalfd_siginfo info[4];
  T_CALL(read(fd, info, sizeof(info)));
  raise(SIGUSR2);
  sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 5});
  long n = read(fd, info, sizeof(info));
  printf("read %ld bytes = %ld records\n", n, n / (long)sizeof(info[0]));
  for (long i = 0; i < n / (long)sizeof(info[0]); ++i)
    printf("  %s code %d int %d pid self %s\n", t_signame(info[i].ssi_signo), info[i].ssi_code,
           info[i].ssi_int, info[i].ssi_pid == (unsigned)getpid() ? "true" : "false");
  raise(SIGUSR1);
  T_CALL(read(fd, info, 10));
  T_CALL(signalfd(fd, &set, 0x1234));
  T_CALL(signalfd(0, &set, 0));
  sigset_t only2;
  sigemptyset(&only2);
  sigaddset(&only2, SIGUSR2);
  T_CALL(signalfd(fd, &only2, 0));  // update: USR1 no longer read
  T_CALL(read(fd, info, sizeof(info)));
  T_CALL(syscall(SYS_signalfd4, -1, &set, 4, 0));
  return 0;
}
