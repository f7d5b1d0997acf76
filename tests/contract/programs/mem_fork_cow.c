// After fork, parent and child each see their own copy of private memory: writes on either
// side stay there (copy-on-write), for the heap, the stack, data, bss and mmap'd pages.
#include <sys/mman.h>

#include "contract.h"

static int g_data = 10;
static int g_bss;

int main(void) {
  int stack_var = 20;
  char* heap = malloc(100);
  strcpy(heap, "parent-heap");
  char* anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  strcpy(anon, "parent-anon");
  char* untouched = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  g_bss = 30;
  int sync1[2], sync2[2];
  pipe(sync1);
  pipe(sync2);
  pid_t child = fork();
  if (child == 0) {
    char c;
    read(sync1[0], &c, 1);  // the parent has written its changes
    printf("child sees: data=%d bss=%d stack=%d heap=%s anon=%s untouched=%d\n", g_data, g_bss,
           stack_var, heap, anon, untouched[0]);
    g_data = 11;
    strcpy(heap, "child-heap");
    strcpy(anon, "child-anon");
    untouched[0] = 'c';
    write(sync2[1], "x", 1);
    _exit(0);
  }
  g_data = 12;
  stack_var = 22;
  strcpy(anon, "PARENT-anon");
  write(sync1[1], "x", 1);
  char c;
  read(sync2[0], &c, 1);
  t_wait(child, "child");
  printf("parent sees: data=%d bss=%d stack=%d heap=%s anon=%s untouched=%d\n", g_data, g_bss,
         stack_var, heap, anon, untouched[0]);
  return 0;
}
