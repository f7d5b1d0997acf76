// aramid-true: the smallest static program, for the vfork+execve benchmark. No libc start-up
// work beyond musl's own; exits 0.
int main(void) { return 0; }
