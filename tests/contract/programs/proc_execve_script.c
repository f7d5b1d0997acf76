// "#!" scripts: the interpreter gets the optional argument, the script path, then the
// original arguments without argv[0] [man 2 execve "Interpreter scripts"].
#include "contract.h"

static void Run(const char* path) {
  pid_t child = fork();
  if (child == 0) {
    char* argv[] = {"ignored-argv0", "one", "two", NULL};
    char bin[4200];
    snprintf(bin, sizeof(bin), "CONTRACT_BIN=%s", t_bin_dir());
    char* envp[] = {bin, NULL};
    execve(path, argv, envp);
    printf("execve %s: %s\n", path, t_errname(errno));
    _exit(127);
  }
  t_wait(child, path);
}

int main(void) {
  char text[4200];
  snprintf(text, sizeof(text), "#!%s args  with-arg \nbody\n", t_helper_path());
  t_make_file("script1", text);
  chmod("script1", 0755);
  Run("./script1");
  snprintf(text, sizeof(text), "#! %s\n", t_helper_path());
  t_make_file("script2", text);
  chmod("script2", 0755);
  Run("./script2");
  t_make_file("script3", "#!/nonexistent/interpreter\n");
  chmod("script3", 0755);
  Run("./script3");
  snprintf(text, sizeof(text), "#!%s/script1\n", ".");
  t_make_file("script4", text);  // a script as interpreter of a script
  chmod("script4", 0755);
  Run("./script4");
  t_make_file("script5", "#!\n");
  chmod("script5", 0755);
  Run("./script5");
  return 0;
}
