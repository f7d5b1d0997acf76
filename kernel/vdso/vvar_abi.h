#pragma once
/// The vDSO's data page ("[vvar]"): written by the kernel (kernel/vdso/vdso.cc), read by the
/// vDSO code (kernel/vdso/image/vdso.c), mapped read-only just below the vDSO text in every
/// process. This header is shared by the kernel (C++) and the vDSO (C, built freestanding at
/// build time), so it uses plain C types and no namespace.
///
/// Reading protocol (a sequence lock, as Linux's vdso_data): read `seq`; if odd, the kernel is
/// writing: retry; read the fields; read `seq` again; if it changed, retry. The kernel is
/// uniprocessor and writes with interrupts off, so a reader can only see an odd value when it
/// was preempted in the middle of a kernel update on another path: the retry is cheap.

/// How user code may compute the clocks.
enum AramidVvarMode {
  /// Call the kernel (the syscall instruction): always correct. The only mode on hostsim
  /// native, where rdtsc would read the host's counter, not the virtual clock.
  kAramidVvarModeSyscall = 0,
  /// monotonic_ns = mono_base_ns + (((rdtsc - tsc_base) * tsc_mult) >> tsc_shift), computed
  /// with a 128-bit product; realtime = monotonic + realtime_offset_ns.
  kAramidVvarModeTsc = 1,
};

struct AramidVvar {
  unsigned int seq;
  unsigned int mode;  ///< enum AramidVvarMode
  unsigned long long tsc_base;
  unsigned long long mono_base_ns;
  unsigned int tsc_mult;
  unsigned int tsc_shift;
  long long realtime_offset_ns;  ///< CLOCK_REALTIME minus CLOCK_MONOTONIC
  long long boottime_offset_ns;  ///< CLOCK_BOOTTIME minus CLOCK_MONOTONIC (0: no suspend)
  /// 1: one CPU, so getcpu answers CPU 0, node 0 without a system call; otherwise the vDSO
  /// asks the kernel.
  unsigned int cpu_count;
  unsigned int reserved;
};
