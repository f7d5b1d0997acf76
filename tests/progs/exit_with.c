// exit_with N: exits with status N (0-255), so that each status can be shown to round-trip
// through the harness. exit_with -s N: kills itself with signal N (expect 128 + N).
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "-s") == 0) {
    int sig = atoi(argv[2]);
    signal(sig, SIG_DFL);
    kill(getpid(), sig);
    return 255;  // not reached for a fatal signal
  }
  if (argc != 2) {
    fprintf(stderr, "usage: exit_with N | exit_with -s SIGNAL\n");
    return 2;
  }
  return atoi(argv[1]) & 0xff;
}
