#pragma once
// sim::Files: the executables a sim::Machine's execve can find by path, held in host memory
// (an elf::ExecOpener). Until the VFS provides files, this is what execve opens in scripted
// tests; it also feeds the ELF loader directly (Machine::Exec). Host code.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kernel/elf/exec_file.h"

namespace sim {

class Files final : public kernel::elf::ExecOpener {
 public:
  /// Adds (or replaces) a file. Its bytes live as long as this object.
  void Add(const std::string& path, std::vector<uint8_t> bytes);
  void Add(const std::string& path, const std::string& text);
  bool Contains(const std::string& path) const { return files_.count(path) != 0; }
  /// The bytes of a file, or null.
  const std::vector<uint8_t>* Get(const std::string& path) const;

  /// ENOENT when the path is unknown.
  kernel::Result<kernel::lib::RefPtr<kernel::elf::ExecFile>> Open(
      kernel::proc::Task& task, kernel::lib::string_view path) override;

 private:
  // unique_ptr: the kernel's ExecFile points into the vector, which must not move.
  std::map<std::string, std::unique_ptr<std::vector<uint8_t>>> files_;
};

/// The Alpine minirootfs the project pins (images/alpine.pin), looked up in $ARAMID_CACHE
/// (default ~/.cache/aramid). Reads one member (e.g. "bin/busybox"); nullopt with the reason
/// in *why when the tarball or the member is missing.
std::optional<std::vector<uint8_t>> ReadAlpineFile(const std::string& member, std::string* why);

/// A file from the build tree or the source tree (test programs); nullopt if unreadable.
std::optional<std::vector<uint8_t>> ReadHostFile(const std::string& path);

}  // namespace sim
