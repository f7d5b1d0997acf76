// first-light: a PID 1 for `tools/aramid bench --boot-time`. It has no C library and no start
// files, so its first instructions are the few system calls that make COM1 reachable (/dev may
// still need a devtmpfs on Linux) and a one-byte write to it: the host times QEMU's start to
// that byte. Then it powers the machine off [man 2 reboot].
#include <fcntl.h>
#include <sys/syscall.h>

// [man 2 reboot]; musl-gcc has no kernel headers.
#define REBOOT_MAGIC1 0xfee1deadL
#define REBOOT_MAGIC2 672274793L
#define REBOOT_CMD_POWER_OFF 0x4321fedcL

static long Syscall(long n, long a, long b, long c, long d, long e) {
  long ret;
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
                   : "rcx", "r11", "memory");
  return ret;
}

void _start(void) {
  long fd = Syscall(SYS_open, (long)"/dev/ttyS0", O_WRONLY | O_NOCTTY, 0, 0, 0);
  if (fd < 0) {  // Linux unpacks an initramfs without mounting anything on /dev
    Syscall(SYS_mkdir, (long)"/dev", 0755, 0, 0, 0);
    Syscall(SYS_mount, (long)"devtmpfs", (long)"/dev", (long)"devtmpfs", 0, 0);
    fd = Syscall(SYS_open, (long)"/dev/ttyS0", O_WRONLY | O_NOCTTY, 0, 0, 0);
  }
  Syscall(SYS_write, fd, (long)"!", 1, 0, 0);
  Syscall(SYS_reboot, REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_POWER_OFF, 0, 0);
  for (;;) Syscall(SYS_exit, 0, 0, 0, 0, 0);
}
