#pragma once
// Root file systems for the native runner, as cpio "newc" archives in memory (what
// kernel::fs::MountRootFromInitramfs unpacks): from the Alpine minirootfs tarball (tar.gz),
// from a host directory, or from single host files. Host code.
//
//   sim::CpioWriter cpio;
//   std::string error;
//   if (!sim::AddTarGz(cpio, "alpine-minirootfs.tar.gz", &error)) ...;
//   cpio.AddFile("/aramid/hello", 0755, bytes);
//   std::vector<uint8_t> archive = cpio.Finish();
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace sim {

/// Writes cpio newc entries [Documentation/driver-api/early-userspace/buffer-format.rst].
/// Names are normalised ("./bin/sh", "/bin/sh" -> "bin/sh"); missing parent directories are
/// added (mode 0755) before an entry that needs them; a later entry with the same name
/// replaces the earlier one when unpacked (the kernel's unpacker overwrites, as Linux's does).
class CpioWriter {
 public:
  void AddDirectory(std::string_view name, uint32_t perm, uint32_t uid = 0, uint32_t gid = 0,
                    uint32_t mtime = 0);
  void AddFile(std::string_view name, uint32_t perm, std::string_view data, uint32_t uid = 0,
               uint32_t gid = 0, uint32_t mtime = 0);
  void AddSymlink(std::string_view name, std::string_view target, uint32_t uid = 0,
                  uint32_t gid = 0, uint32_t mtime = 0);
  /// A device node or FIFO: `mode` holds the type bits (S_IFCHR, S_IFBLK, S_IFIFO).
  void AddNode(std::string_view name, uint32_t mode, uint32_t rdev_major, uint32_t rdev_minor,
               uint32_t uid = 0, uint32_t gid = 0, uint32_t mtime = 0);
  /// Whether an entry of that (normalised) name was added.
  bool Has(std::string_view name) const;
  const std::set<std::string>& names() const { return names_; }
  /// The archive, with its trailer. The writer is empty afterwards.
  std::vector<uint8_t> Finish();

  static std::string Normalize(std::string_view name);

 private:
  void AddParents(const std::string& name);
  void Entry(const std::string& name, uint32_t mode, uint32_t uid, uint32_t gid, uint32_t mtime,
             std::string_view data, uint32_t rdev_major = 0, uint32_t rdev_minor = 0);

  std::vector<uint8_t> out_;
  std::set<std::string> names_;
  uint32_t next_ino_ = 1;
};

/// Adds the entries of a tar archive (ustar, pax and GNU long names; regular files, hard
/// links as copies, symlinks, directories, devices, FIFOs), gzip-compressed or not. False
/// with `error` set when the file cannot be read or is malformed.
bool AddTarFile(CpioWriter& cpio, const std::string& path, std::string* error);
bool AddTar(CpioWriter& cpio, std::string_view tar, std::string* error);

/// Adds a host directory tree as the root (its owner, mode and symlinks as they are).
bool AddHostDirectory(CpioWriter& cpio, const std::string& dir, std::string* error);

/// Adds one host file (following symlinks) at `guest_name`, keeping its permission bits.
bool AddHostFile(CpioWriter& cpio, const std::string& host_path, std::string_view guest_name,
                 std::string* error);

/// gunzip; false with `error` when `data` is not a valid gzip stream.
bool Gunzip(std::string_view data, std::string* out, std::string* error);

/// Reads a whole host file.
bool ReadHostFile(const std::string& path, std::string* out, std::string* error);

}  // namespace sim
