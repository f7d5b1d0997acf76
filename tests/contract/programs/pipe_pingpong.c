// Two processes pass a counter back and forth 1000 times through two pipes.
#include "contract.h"

int main(void) {
  int to_child[2], to_parent[2];
  pipe(to_child);
  pipe(to_parent);
  pid_t child = fork();
  if (child == 0) {
    close(to_child[1]);
    close(to_parent[0]);
    int v;
    while (t_read_all(to_child[0], &v, sizeof(v)) == 0) {
      ++v;
      t_write_all(to_parent[1], &v, sizeof(v));
    }
    _exit(0);
  }
  close(to_child[0]);
  close(to_parent[1]);
  int v = 0;
  for (int i = 0; i < 1000; ++i) {
    t_write_all(to_child[1], &v, sizeof(v));
    t_read_all(to_parent[0], &v, sizeof(v));
    ++v;
  }
  printf("counter: %d\n", v);
  close(to_child[1]);
  t_wait(child, "child");
  return 0;
}
