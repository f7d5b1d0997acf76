// Runs an executable image on the host Linux kernel, to learn what Linux says about it: the
// errno of a failed execve, or how the process ended. The tests compare Aramid's answer with
// this one, so the expectations are Linux's, not ours. Host code.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace proc_test {

struct NativeResult {
  bool exec_failed = false;  // execve returned
  int err = 0;               // its errno
  int wait_status = 0;       // otherwise: how the process ended
  std::string Describe() const;
};

/// A private temporary directory for files the native and the sim runs both refer to by
/// absolute path. Removed (with its files) when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  /// Writes an executable (mode 0755) file and returns its absolute path.
  std::string Write(const std::string& name, const std::vector<uint8_t>& bytes);
  std::string Write(const std::string& name, const std::string& text);

 private:
  std::string path_;
  std::vector<std::string> files_;
};

/// execve(path, argv, {}) in a forked child of the test process.
NativeResult RunNative(const std::string& path, const std::vector<std::string>& argv);

}  // namespace proc_test
