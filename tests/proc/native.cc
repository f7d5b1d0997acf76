#include "tests/proc/native.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace proc_test {

std::string NativeResult::Describe() const {
  if (exec_failed) return std::string("execve failed: ") + strerrorname_np(err);
  if (WIFSIGNALED(wait_status)) return "killed by signal " + std::to_string(WTERMSIG(wait_status));
  return "exited with " + std::to_string(WEXITSTATUS(wait_status));
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/aramid-proc-XXXXXX";
  const char* d = mkdtemp(tmpl);
  if (d == nullptr) {
    std::perror("mkdtemp");
    std::abort();
  }
  path_ = d;
}

TempDir::~TempDir() {
  for (const std::string& f : files_) unlink(f.c_str());
  rmdir(path_.c_str());
}

std::string TempDir::Write(const std::string& name, const std::vector<uint8_t>& bytes) {
  std::string p = path_ + "/" + name;
  int fd = open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0755);
  if (fd < 0 || write(fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
    std::perror(p.c_str());
    std::abort();
  }
  close(fd);
  files_.push_back(p);
  return p;
}

std::string TempDir::Write(const std::string& name, const std::string& text) {
  return Write(name, std::vector<uint8_t>(text.begin(), text.end()));
}

NativeResult RunNative(const std::string& path, const std::vector<std::string>& argv) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) std::abort();
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    char* envp[] = {nullptr};
    execve(path.c_str(), args.data(), envp);
    int e = errno;
    (void)!write(fds[1], &e, sizeof(e));
    _exit(127);
  }
  close(fds[1]);
  NativeResult r;
  int e;
  if (read(fds[0], &e, sizeof(e)) == sizeof(e)) {
    r.exec_failed = true;
    r.err = e;
  }
  close(fds[0]);
  waitpid(pid, &r.wait_status, 0);
  return r;
}

}  // namespace proc_test
