// Computes forever without a system call: only a timeout ends it (aramid-sim --timeout).
int main(void) {
  volatile unsigned long n = 0;
  for (;;) ++n;
}
