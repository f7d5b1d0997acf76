// The PIE relocation regression (issue #5): BusyBox's forked shell children once crashed on a
// peer kernel because a child read a relocated data pointer and got the file's unrelocated
// bytes. Here a static PIE holds one pointer that needs a relative relocation, alone on its
// page of writable data, pointing at a message alone on its page(s) of read-only data. The
// start code relocates the pointer; after that the parent touches neither page. It forks, and
// the child dereferences the pointer. Exit status 0 and "ok" when the child read the message.
// The sim test (tests/proc/pie_reloc_test.cc) loads this very file and checks the same thing
// with the kernel's page tables in view.
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MESSAGE "relocated pointer ok"

__attribute__((aligned(4096), used)) const char reloc_message[8192] = MESSAGE;
__attribute__((aligned(4096), used)) const char* volatile reloc_ptr[512] = {reloc_message};

int main(void) {
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return 2;
  }
  if (pid == 0) {
    const char* p = reloc_ptr[0];
    _exit(strcmp(p, MESSAGE) == 0 ? 0 : 1);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) {
    perror("waitpid");
    return 2;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    printf("child saw a wrong pointer (status %#x)\n", status);
    return 1;
  }
  // The parent reads it only now.
  if (strcmp(reloc_ptr[0], MESSAGE) != 0) {
    printf("parent saw a wrong pointer\n");
    return 1;
  }
  printf("ok\n");
  return 0;
}
