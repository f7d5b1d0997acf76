// The vDSO [man 7 vdso]: AT_SYSINFO_EHDR points at an ELF shared object named
// linux-vdso.so.1 exporting __vdso_clock_gettime, __vdso_gettimeofday, __vdso_time,
// __vdso_getcpu and __vdso_clock_getres with version LINUX_2.6, which libc calls instead of
// the system calls. Each is looked up here as musl does and called directly, and compared with
// the system call.
#include <elf.h>
#include <sys/auxv.h>
#include <sys/time.h>
#include <time.h>

#include "contract.h"

static const unsigned char* base;
static const Elf64_Sym* syms;
static const char* strings;
static const uint16_t* versym;
static const Elf64_Verdef* verdef;
static uint32_t nsym;

static int Init(void) {
  base = (const unsigned char*)getauxval(AT_SYSINFO_EHDR);
  if (base == NULL) return 0;
  const Elf64_Ehdr* eh = (const void*)base;
  const Elf64_Phdr* ph = (const void*)(base + eh->e_phoff);
  const Elf64_Dyn* dyn = NULL;
  long bias = -1;
  for (int i = 0; i < eh->e_phnum; ++i) {
    if (ph[i].p_type == PT_LOAD && bias == -1)
      bias = (long)base + (long)ph[i].p_offset - (long)ph[i].p_vaddr;
    if (ph[i].p_type == PT_DYNAMIC) dyn = (const void*)(base + ph[i].p_offset);
  }
  if (dyn == NULL || bias == -1) return 0;
  const char* soname = NULL;
  for (; dyn->d_tag != DT_NULL; ++dyn) {
    const void* p = (const void*)(bias + dyn->d_un.d_ptr);
    switch (dyn->d_tag) {
      case DT_SYMTAB:
        syms = p;
        break;
      case DT_STRTAB:
        strings = p;
        break;
      case DT_HASH:
        nsym = ((const uint32_t*)p)[1];
        break;
      case DT_VERSYM:
        versym = p;
        break;
      case DT_VERDEF:
        verdef = p;
        break;
      case DT_SONAME:
        soname = (const char*)(uintptr_t)dyn->d_un.d_val;
        break;
    }
  }
  printf("ELF magic: %s\n", memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 ? "true" : "false");
  printf("type ET_DYN: %s\n", eh->e_type == ET_DYN ? "true" : "false");
  printf("soname: %s\n", strings && soname ? strings + (uintptr_t)soname : "(none)");
  printf("DT_HASH: %s, versioned: %s\n", nsym ? "true" : "false",
         versym && verdef ? "true" : "false");
  base = (const unsigned char*)bias;
  return syms && strings && nsym;
}

static const char* VersionOf(uint16_t index) {
  const Elf64_Verdef* d = verdef;
  for (;;) {
    if ((d->vd_ndx & 0x7fff) == index && !(d->vd_flags & VER_FLG_BASE))
      return strings + ((const Elf64_Verdaux*)((const char*)d + d->vd_aux))->vda_name;
    if (d->vd_next == 0) return "";
    d = (const void*)((const char*)d + d->vd_next);
  }
}

static void* Lookup(const char* name) {
  for (uint32_t i = 0; i < nsym; ++i) {
    if (syms[i].st_shndx == SHN_UNDEF || ELF64_ST_TYPE(syms[i].st_info) != STT_FUNC) continue;
    if (strcmp(strings + syms[i].st_name, name) != 0) continue;
    if (versym && strcmp(VersionOf(versym[i] & 0x7fff), "LINUX_2.6") != 0) continue;
    return (void*)(base + syms[i].st_value);
  }
  return NULL;
}

static long long Ns(const struct timespec* ts) { return ts->tv_sec * 1000000000LL + ts->tv_nsec; }

int main(void) {
  int ok = Init();
  printf("AT_SYSINFO_EHDR and symbol table: %s\n", ok ? "true" : "false");
  if (!ok) return 1;
  const char* names[] = {"__vdso_clock_gettime",
                         "__vdso_gettimeofday",
                         "__vdso_time",
                         "__vdso_getcpu",
                         "__vdso_clock_getres",
                         "clock_gettime",
                         "gettimeofday",
                         "time",
                         "getcpu"};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); ++i)
    printf("%s@LINUX_2.6: %s\n", names[i], Lookup(names[i]) ? "found" : "missing");
  printf("clock_gettime is __vdso_clock_gettime: %s\n",
         Lookup("clock_gettime") == Lookup("__vdso_clock_gettime") ? "true" : "false");

  int (*cgt)(clockid_t, struct timespec*) =
      (int (*)(clockid_t, struct timespec*))Lookup("__vdso_clock_gettime");
  int (*gtod)(struct timeval*, void*) =
      (int (*)(struct timeval*, void*))Lookup("__vdso_gettimeofday");
  long (*vtime)(long*) = (long (*)(long*))Lookup("__vdso_time");
  long (*getcpu)(unsigned*, unsigned*, void*) =
      (long (*)(unsigned*, unsigned*, void*))Lookup("__vdso_getcpu");
  int (*getres)(clockid_t, struct timespec*) =
      (int (*)(clockid_t, struct timespec*))Lookup("__vdso_clock_getres");
  if (!cgt || !gtod || !vtime || !getcpu || !getres) return 1;

  const clockid_t clocks[] = {CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_REALTIME};
  const char* clock_names[] = {"MONOTONIC", "BOOTTIME", "REALTIME"};
  for (int i = 0; i < 3; ++i) {
    struct timespec before, mid, after;
    syscall(SYS_clock_gettime, clocks[i], &before);
    int r = cgt(clocks[i], &mid);
    syscall(SYS_clock_gettime, clocks[i], &after);
    printf("vdso %s = %d, between two system calls: %s, nsec in range: %s\n", clock_names[i], r,
           Ns(&before) <= Ns(&mid) && Ns(&mid) <= Ns(&after) ? "true" : "false",
           mid.tv_nsec >= 0 && mid.tv_nsec < 1000000000 ? "true" : "false");
  }
  struct timespec ts;
  printf("vdso CLOCK_PROCESS_CPUTIME_ID = %d\n", cgt(CLOCK_PROCESS_CPUTIME_ID, &ts));
  printf("vdso bad clock = %d\n", cgt(99, &ts));
  struct timespec res, sres;
  int r = getres(CLOCK_MONOTONIC, &res);
  syscall(SYS_clock_getres, CLOCK_MONOTONIC, &sres);
  printf("vdso clock_getres = %d, same as the system call: %s\n", r,
         res.tv_sec == sres.tv_sec && res.tv_nsec == sres.tv_nsec ? "true" : "false");

  struct timeval tv;
  struct timespec rt;
  r = gtod(&tv, NULL);
  syscall(SYS_clock_gettime, CLOCK_REALTIME, &rt);
  printf("vdso gettimeofday = %d, usec in range: %s, within 1 s of the system call: %s\n", r,
         tv.tv_usec >= 0 && tv.tv_usec < 1000000 ? "true" : "false",
         rt.tv_sec - tv.tv_sec >= 0 && rt.tv_sec - tv.tv_sec <= 1 ? "true" : "false");
  long stored = 0;
  long t = vtime(&stored);
  long st = syscall(SYS_time, NULL);
  printf("vdso time stores what it returns: %s, within 1 s of the system call: %s\n",
         t == stored ? "true" : "false", st - t >= 0 && st - t <= 1 ? "true" : "false");
  printf("vdso time(NULL) works: %s\n", vtime(NULL) > 0 ? "true" : "false");
  unsigned cpu = 99, node = 99;
  r = (int)getcpu(&cpu, &node, NULL);
  unsigned scpu = 98, snode = 98;
  syscall(SYS_getcpu, &scpu, &snode, NULL);
  printf("vdso getcpu = %d, cpu below the CPU count: %s, node 0: %s\n", r,
         cpu < (unsigned)sysconf(_SC_NPROCESSORS_CONF) ? "true" : "false",
         node == 0 ? "true" : "false");

  // libc's own clock_gettime (musl calls the vDSO when AT_SYSINFO_EHDR is set).
  struct timespec a, b;
  T_CALL(clock_gettime(CLOCK_MONOTONIC, &a));
  T_CALL(cgt(CLOCK_MONOTONIC, &b));
  printf("libc then vdso is monotonic: %s\n", Ns(&a) <= Ns(&b) ? "true" : "false");
  return 0;
}
