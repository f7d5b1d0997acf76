#include "sim/files.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

namespace sim {

void Files::Add(const std::string& path, std::vector<uint8_t> bytes) {
  files_[path] = std::make_unique<std::vector<uint8_t>>(std::move(bytes));
}

void Files::Add(const std::string& path, const std::string& text) {
  Add(path, std::vector<uint8_t>(text.begin(), text.end()));
}

const std::vector<uint8_t>* Files::Get(const std::string& path) const {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : it->second.get();
}

kernel::Result<kernel::lib::RefPtr<kernel::elf::ExecFile>> Files::Open(
    kernel::proc::Task&, kernel::lib::string_view path) {
  auto it = files_.find(std::string(path.data(), path.size()));
  if (it == files_.end()) return kernel::Errno::kENOENT;
  return kernel::elf::MemoryExecFile::Create(it->second->data(), it->second->size());
}

std::optional<std::vector<uint8_t>> ReadHostFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

namespace {

std::string PinnedTarballName(std::string* why) {
  // images/alpine.pin: "file = alpine-minirootfs-...tar.gz" among key = value lines.
  std::ifstream pin(std::string(ARAMID_SOURCE_DIR) + "/images/alpine.pin");
  std::string line;
  while (std::getline(pin, line)) {
    auto hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    auto trim = [](std::string& s) {
      s.erase(0, s.find_first_not_of(" \t"));
      s.erase(s.find_last_not_of(" \t\r") + 1);
    };
    trim(key);
    trim(value);
    if (key == "file") return value;
  }
  *why = "images/alpine.pin names no file";
  return "";
}

}  // namespace

std::optional<std::vector<uint8_t>> ReadAlpineFile(const std::string& member, std::string* why) {
  std::string name = PinnedTarballName(why);
  if (name.empty()) return std::nullopt;
  const char* cache = std::getenv("ARAMID_CACHE");
  const char* home = std::getenv("HOME");
  std::string dir =
      cache != nullptr ? cache : std::string(home != nullptr ? home : "") + "/.cache/aramid";
  std::string tarball = dir + "/" + name;
  if (!std::ifstream(tarball)) {
    *why = "the Alpine rootfs " + tarball +
           " is missing: run `tools/aramid setup` (or set ARAMID_CACHE) to fetch it";
    return std::nullopt;
  }
  std::string cmd = "tar -xzOf '" + tarball + "' './" + member + "' 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) {
    *why = "cannot run tar";
    return std::nullopt;
  }
  std::vector<uint8_t> bytes;
  uint8_t buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) bytes.insert(bytes.end(), buf, buf + n);
  int rc = pclose(p);
  if (rc != 0 || bytes.empty()) {
    *why = "member ./" + member + " not found in " + tarball;
    return std::nullopt;
  }
  return bytes;
}

}  // namespace sim
