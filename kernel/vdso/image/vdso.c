// The vDSO [man 7 vdso]: a small shared object the kernel maps into every process, so that
// libc finds clock_gettime, gettimeofday, time, clock_getres and getcpu in it (musl and glibc
// look up __vdso_<name> with version LINUX_2.6 through AT_SYSINFO_EHDR).
//
// Built freestanding at build time (cmake/Vdso.cmake) and embedded into the kernel
// (kernel/vdso/image.S). It must be position independent with no relocations at all: it is
// mapped wherever the kernel likes and nobody relocates it. The data page (vvar_abi.h) is
// the page just below the image; `vvar_page` comes from the linker script.
//
// Every function falls back to the system call when the data page says the clock cannot be
// read from user mode (always on hostsim), and for clocks it does not compute itself.
#include "kernel/vdso/vvar_abi.h"

typedef unsigned long long u64;
typedef long long i64;

struct timespec_abi {
  i64 sec;
  i64 nsec;
};
struct timeval_abi {
  i64 sec;
  i64 usec;
};

extern const volatile struct AramidVvar vvar_page __attribute__((visibility("hidden")));

#define EXPORT __attribute__((visibility("default")))

enum {
  kSysGettimeofday = 96,
  kSysTime = 201,
  kSysClockGettime = 228,
  kSysClockGetres = 229,
  kSysGetcpu = 309,
};
enum { kClockRealtime = 0, kClockMonotonic = 1, kClockBoottime = 7 };

static long Syscall3(long n, long a, long b, long c) {
  long r;
  __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
  return r;
}

// Reads the monotonic time and the realtime/boottime offsets from the data page; 0 when the
// caller must ask the kernel.
static int ReadClock(u64* mono, i64* realtime_offset, i64* boottime_offset) {
  for (;;) {
    unsigned seq = vvar_page.seq;
    __asm__ volatile("" ::: "memory");
    if (seq & 1) continue;
    if (vvar_page.mode != kAramidVvarModeTsc) return 0;
    unsigned lo, hi;
    // lfence orders rdtsc after the loads above, as the sequence lock needs; rdtscp would
    // too but is missing on some CPUs (QEMU's qemu64 model).
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    u64 tsc = ((u64)hi << 32) | lo;
    u64 base = vvar_page.tsc_base;
    u64 delta = tsc > base ? tsc - base : 0;
    unsigned __int128 scaled = (unsigned __int128)delta * vvar_page.tsc_mult;
    *mono = vvar_page.mono_base_ns + (u64)(scaled >> vvar_page.tsc_shift);
    *realtime_offset = vvar_page.realtime_offset_ns;
    *boottime_offset = vvar_page.boottime_offset_ns;
    __asm__ volatile("" ::: "memory");
    if (vvar_page.seq == seq) return 1;
  }
}

EXPORT int __vdso_clock_gettime(int clock, struct timespec_abi* ts) {
  if (clock == kClockRealtime || clock == kClockMonotonic || clock == kClockBoottime) {
    u64 mono;
    i64 rt, bt;
    if (ReadClock(&mono, &rt, &bt)) {
      u64 ns = mono;
      if (clock == kClockRealtime) ns = (u64)((i64)mono + rt);
      if (clock == kClockBoottime) ns = (u64)((i64)mono + bt);
      ts->sec = (i64)(ns / 1000000000u);
      ts->nsec = (i64)(ns % 1000000000u);
      return 0;
    }
  }
  return (int)Syscall3(kSysClockGettime, clock, (long)ts, 0);
}

EXPORT int __vdso_gettimeofday(struct timeval_abi* tv, void* tz) {
  if (tz == 0 && tv != 0) {
    u64 mono;
    i64 rt, bt;
    if (ReadClock(&mono, &rt, &bt)) {
      u64 ns = (u64)((i64)mono + rt);
      tv->sec = (i64)(ns / 1000000000u);
      tv->usec = (i64)(ns % 1000000000u / 1000u);
      return 0;
    }
  }
  return (int)Syscall3(kSysGettimeofday, (long)tv, (long)tz, 0);
}

EXPORT long __vdso_time(long* t) {
  u64 mono;
  i64 rt, bt;
  if (ReadClock(&mono, &rt, &bt)) {
    long s = (long)((u64)((i64)mono + rt) / 1000000000u);
    if (t) *t = s;
    return s;
  }
  return Syscall3(kSysTime, (long)t, 0, 0);
}

EXPORT int __vdso_clock_getres(int clock, struct timespec_abi* res) {
  return (int)Syscall3(kSysClockGetres, clock, (long)res, 0);
}

EXPORT long __vdso_getcpu(unsigned* cpu, unsigned* node, void* cache) {
  if (vvar_page.cpu_count == 1) {
    if (cpu) *cpu = 0;
    if (node) *node = 0;
    return 0;
  }
  return Syscall3(kSysGetcpu, (long)cpu, (long)node, (long)cache);
}

// The unprefixed names, weak, as Linux's vDSO has them.
int clock_gettime(int, struct timespec_abi*)
    __attribute__((weak, alias("__vdso_clock_gettime"), visibility("default")));
int gettimeofday(struct timeval_abi*, void*)
    __attribute__((weak, alias("__vdso_gettimeofday"), visibility("default")));
long time(long*) __attribute__((weak, alias("__vdso_time"), visibility("default")));
int clock_getres(int, struct timespec_abi*)
    __attribute__((weak, alias("__vdso_clock_getres"), visibility("default")));
long getcpu(unsigned*, unsigned*, void*)
    __attribute__((weak, alias("__vdso_getcpu"), visibility("default")));
