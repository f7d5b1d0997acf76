// The vDSO in /proc/self/maps [man 5 proc]: "[vdso]", executable and not writable, at the
// address AT_SYSINFO_EHDR gives, with its data page "[vvar]" readable and not executable.
#include <sys/auxv.h>

#include "contract.h"

int main(void) {
  unsigned long vdso = getauxval(AT_SYSINFO_EHDR);
  FILE* f = fopen("/proc/self/maps", "r");
  printf("/proc/self/maps opens: %s\n", f ? "true" : "false");
  if (!f) return 0;
  char line[512];
  int vdso_lines = 0, vdso_at_auxv = 0, vdso_rx = 0, vvar_lines = 0, vvar_r = 0;
  while (fgets(line, sizeof(line), f)) {
    unsigned long start, end;
    char perms[8];
    if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) != 3) continue;
    if (strstr(line, "[vdso]")) {
      ++vdso_lines;
      vdso_at_auxv += start == vdso;
      vdso_rx += perms[0] == 'r' && perms[1] == '-' && perms[2] == 'x';
    }
    if (strstr(line, "[vvar]")) {
      ++vvar_lines;
      vvar_r += perms[0] == 'r' && perms[1] == '-' && perms[2] == '-';
    }
  }
  fclose(f);
  printf("[vdso] lines: %d, at AT_SYSINFO_EHDR: %d, r-x: %d\n", vdso_lines, vdso_at_auxv, vdso_rx);
  printf("[vvar] present: %s, all r--: %s\n", vvar_lines > 0 ? "true" : "false",
         vvar_lines == vvar_r ? "true" : "false");
  return 0;
}
