#include "sim/rootfs_archive.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace sim {
namespace {

constexpr uint32_t kIfDir = 0040000, kIfReg = 0100000, kIfLnk = 0120000;
constexpr size_t kTarBlock = 512;

void PutHex(std::vector<uint8_t>& out, uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof(buf), "%08X", v);
  out.insert(out.end(), buf, buf + 8);
}

void Pad4(std::vector<uint8_t>& out) {
  while (out.size() % 4 != 0) out.push_back(0);
}

// A tar numeric field: octal ASCII (NUL or space terminated), or base-256 when the top bit of
// the first byte is set (GNU, for values that do not fit) [man 5 tar].
bool TarNumber(const char* field, size_t n, uint64_t* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(field);
  uint64_t v = 0;
  if ((p[0] & 0x80) != 0) {
    v = p[0] & 0x3f;
    for (size_t i = 1; i < n; ++i) v = (v << 8) | p[i];
    *out = v;
    return true;
  }
  size_t i = 0;
  while (i < n && (p[i] == ' ' || p[i] == 0)) ++i;
  for (; i < n && p[i] >= '0' && p[i] <= '7'; ++i) v = v * 8 + (p[i] - '0');
  for (; i < n; ++i) {
    if (p[i] != ' ' && p[i] != 0) return false;
  }
  *out = v;
  return true;
}

std::string Field(const char* p, size_t n) { return std::string(p, strnlen(p, n)); }

// The records of a pax extended header: "<length> <key>=<value>\n" [posix pax].
bool ParsePax(std::string_view data, std::map<std::string, std::string>* out) {
  while (!data.empty()) {
    size_t sp = data.find(' ');
    if (sp == std::string_view::npos) return false;
    size_t len = 0;
    for (size_t i = 0; i < sp; ++i) {
      if (data[i] < '0' || data[i] > '9') return false;
      len = len * 10 + static_cast<size_t>(data[i] - '0');
    }
    if (len <= sp + 1 || len > data.size() || data[len - 1] != '\n') return false;
    std::string_view record = data.substr(sp + 1, len - sp - 2);
    size_t eq = record.find('=');
    if (eq == std::string_view::npos) return false;
    (*out)[std::string(record.substr(0, eq))] = std::string(record.substr(eq + 1));
    data.remove_prefix(len);
  }
  return true;
}

}  // namespace

// ---- CpioWriter ----

std::string CpioWriter::Normalize(std::string_view name) {
  std::string out;
  size_t i = 0;
  while (i < name.size()) {
    size_t j = name.find('/', i);
    if (j == std::string_view::npos) j = name.size();
    std::string_view part = name.substr(i, j - i);
    if (!part.empty() && part != ".") {
      if (!out.empty()) out.push_back('/');
      out.append(part);
    }
    i = j + 1;
  }
  return out;
}

bool CpioWriter::Has(std::string_view name) const { return names_.count(Normalize(name)) != 0; }

void CpioWriter::AddParents(const std::string& name) {
  for (size_t slash = name.find('/'); slash != std::string::npos;
       slash = name.find('/', slash + 1)) {
    std::string dir = name.substr(0, slash);
    if (names_.count(dir) == 0) Entry(dir, kIfDir | 0755, 0, 0, 0, {});
  }
}

void CpioWriter::Entry(const std::string& name, uint32_t mode, uint32_t uid, uint32_t gid,
                       uint32_t mtime, std::string_view data, uint32_t rdev_major,
                       uint32_t rdev_minor) {
  names_.insert(name);
  out_.insert(out_.end(), {'0', '7', '0', '7', '0', '1'});
  PutHex(out_, next_ino_++);
  PutHex(out_, mode);
  PutHex(out_, uid);
  PutHex(out_, gid);
  PutHex(out_, (mode & 0170000) == kIfDir ? 2 : 1);
  PutHex(out_, mtime);
  PutHex(out_, static_cast<uint32_t>(data.size()));
  PutHex(out_, 0);  // dev major/minor: one device for the whole archive
  PutHex(out_, 0);
  PutHex(out_, rdev_major);
  PutHex(out_, rdev_minor);
  PutHex(out_, static_cast<uint32_t>(name.size() + 1));
  PutHex(out_, 0);
  out_.insert(out_.end(), name.begin(), name.end());
  out_.push_back(0);
  Pad4(out_);
  out_.insert(out_.end(), data.begin(), data.end());
  Pad4(out_);
}

void CpioWriter::AddDirectory(std::string_view name, uint32_t perm, uint32_t uid, uint32_t gid,
                              uint32_t mtime) {
  std::string n = Normalize(name);
  if (n.empty()) return;  // the root exists already
  AddParents(n);
  Entry(n, kIfDir | (perm & 07777), uid, gid, mtime, {});
}

void CpioWriter::AddFile(std::string_view name, uint32_t perm, std::string_view data, uint32_t uid,
                         uint32_t gid, uint32_t mtime) {
  std::string n = Normalize(name);
  if (n.empty()) return;
  AddParents(n);
  Entry(n, kIfReg | (perm & 07777), uid, gid, mtime, data);
}

void CpioWriter::AddSymlink(std::string_view name, std::string_view target, uint32_t uid,
                            uint32_t gid, uint32_t mtime) {
  std::string n = Normalize(name);
  if (n.empty()) return;
  AddParents(n);
  Entry(n, kIfLnk | 0777, uid, gid, mtime, target);
}

void CpioWriter::AddNode(std::string_view name, uint32_t mode, uint32_t rdev_major,
                         uint32_t rdev_minor, uint32_t uid, uint32_t gid, uint32_t mtime) {
  std::string n = Normalize(name);
  if (n.empty()) return;
  AddParents(n);
  Entry(n, mode, uid, gid, mtime, {}, rdev_major, rdev_minor);
}

std::vector<uint8_t> CpioWriter::Finish() {
  Entry("TRAILER!!!", 0, 0, 0, 0, {});
  std::vector<uint8_t> out = std::move(out_);
  out_.clear();
  names_.clear();
  next_ino_ = 1;
  return out;
}

// ---- host files ----

bool ReadHostFile(const std::string& path, std::string* out, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path + ": " + std::strerror(errno);
    return false;
  }
  std::ostringstream s;
  s << in.rdbuf();
  *out = std::move(s).str();
  return true;
}

bool Gunzip(std::string_view data, std::string* out, std::string* error) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
    *error = "zlib: inflateInit2 failed";
    return false;
  }
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  out->clear();
  char buf[1 << 16];
  int rc;
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof(buf);
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      *error = std::string("gzip: ") + (z.msg != nullptr ? z.msg : "corrupt or truncated stream");
      inflateEnd(&z);
      return false;
    }
    out->append(buf, sizeof(buf) - z.avail_out);
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      *error = "gzip: truncated stream";
      inflateEnd(&z);
      return false;
    }
  } while (rc != Z_STREAM_END);
  inflateEnd(&z);
  return true;
}

bool AddTar(CpioWriter& cpio, std::string_view tar, std::string* error) {
  std::map<std::string, std::string> files;  // regular files so far, for hard links
  std::map<std::string, std::string> pax;    // the next entry's pax overrides
  std::string long_name, long_link;          // GNU 'L' / 'K'
  size_t off = 0;
  while (off + kTarBlock <= tar.size()) {
    const char* h = tar.data() + off;
    bool zero = true;
    for (size_t i = 0; i < kTarBlock && zero; ++i) zero = h[i] == 0;
    if (zero) return true;  // end of archive (the second zero block is optional for us)
    uint64_t mode = 0, uid = 0, gid = 0, size = 0, mtime = 0, major = 0, minor = 0;
    if (!TarNumber(h + 100, 8, &mode) || !TarNumber(h + 108, 8, &uid) ||
        !TarNumber(h + 116, 8, &gid) || !TarNumber(h + 124, 12, &size) ||
        !TarNumber(h + 136, 12, &mtime) || !TarNumber(h + 329, 8, &major) ||
        !TarNumber(h + 337, 8, &minor)) {
      *error = "tar: bad numeric field in the header at offset " + std::to_string(off);
      return false;
    }
    std::string name = Field(h, 100);
    if (std::memcmp(h + 257, "ustar", 5) == 0 && h[345] != 0) {
      name = Field(h + 345, 155).append("/").append(name);
    }
    std::string link = Field(h + 157, 100);
    char type = h[156];
    if (auto it = pax.find("size"); it != pax.end()) size = std::stoull(it->second);
    off += kTarBlock;
    if (size > tar.size() - off) {
      *error = "tar: entry '" + name + "' is truncated";
      return false;
    }
    std::string_view data = tar.substr(off, size);
    off += (size + kTarBlock - 1) / kTarBlock * kTarBlock;

    switch (type) {
      case 'x':
        if (!ParsePax(data, &pax)) {
          *error = "tar: malformed pax header before offset " + std::to_string(off);
          return false;
        }
        continue;
      case 'g':  // global pax headers carry nothing an unpacker needs here
        continue;
      case 'L':
        long_name.assign(data.data(), strnlen(data.data(), data.size()));
        continue;
      case 'K':
        long_link.assign(data.data(), strnlen(data.data(), data.size()));
        continue;
      default:
        break;
    }
    if (!long_name.empty()) name = long_name;
    if (!long_link.empty()) link = long_link;
    if (auto it = pax.find("path"); it != pax.end()) name = it->second;
    if (auto it = pax.find("linkpath"); it != pax.end()) link = it->second;
    if (auto it = pax.find("uid"); it != pax.end()) uid = std::stoull(it->second);
    if (auto it = pax.find("gid"); it != pax.end()) gid = std::stoull(it->second);
    if (auto it = pax.find("mtime"); it != pax.end()) mtime = std::stoull(it->second);
    pax.clear();
    long_name.clear();
    long_link.clear();

    auto u32 = [](uint64_t v) { return static_cast<uint32_t>(v); };
    uint32_t perm = u32(mode) & 07777;
    std::string key = CpioWriter::Normalize(name);
    switch (type) {
      case '0':
      case '\0':
      case '7':
        cpio.AddFile(name, perm, data, u32(uid), u32(gid), u32(mtime));
        files[key] = std::string(data);
        break;
      case '1': {
        auto it = files.find(CpioWriter::Normalize(link));
        if (it == files.end()) {
          *error = std::string("tar: hard link '")
                       .append(name)
                       .append("' to '")
                       .append(link)
                       .append("', which is not a file before it");
          return false;
        }
        std::string copy = it->second;
        cpio.AddFile(name, perm, copy, u32(uid), u32(gid), u32(mtime));
        files[key] = std::move(copy);
        break;
      }
      case '2':
        cpio.AddSymlink(name, link, u32(uid), u32(gid), u32(mtime));
        break;
      case '3':
        cpio.AddNode(name, 0020000 | perm, u32(major), u32(minor), u32(uid), u32(gid), u32(mtime));
        break;
      case '4':
        cpio.AddNode(name, 0060000 | perm, u32(major), u32(minor), u32(uid), u32(gid), u32(mtime));
        break;
      case '5':
        cpio.AddDirectory(name, perm, u32(uid), u32(gid), u32(mtime));
        break;
      case '6':
        cpio.AddNode(name, 0010000 | perm, 0, 0, u32(uid), u32(gid), u32(mtime));
        break;
      default:
        *error = std::string("tar: entry '") + name + "' has unsupported type '" + type + "'";
        return false;
    }
  }
  if (off != tar.size()) {
    *error = "tar: the archive ends inside a header";
    return false;
  }
  return true;
}

bool AddTarFile(CpioWriter& cpio, const std::string& path, std::string* error) {
  std::string bytes;
  if (!ReadHostFile(path, &bytes, error)) return false;
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
      static_cast<unsigned char>(bytes[1]) == 0x8b) {
    std::string tar;
    if (!Gunzip(bytes, &tar, error)) {
      *error = path + ": " + *error;
      return false;
    }
    bytes = std::move(tar);
  }
  if (!AddTar(cpio, bytes, error)) {
    *error = path + ": " + *error;
    return false;
  }
  return true;
}

bool AddHostFile(CpioWriter& cpio, const std::string& host_path, std::string_view guest_name,
                 std::string* error) {
  struct stat st;
  if (::stat(host_path.c_str(), &st) != 0) {
    *error = host_path + ": " + std::strerror(errno);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    *error = host_path + ": not a regular file";
    return false;
  }
  std::string bytes;
  if (!ReadHostFile(host_path, &bytes, error)) return false;
  cpio.AddFile(guest_name, st.st_mode & 07777, bytes, st.st_uid, st.st_gid,
               static_cast<uint32_t>(st.st_mtime));
  return true;
}

bool AddHostDirectory(CpioWriter& cpio, const std::string& dir, std::string* error) {
  namespace stdfs = std::filesystem;
  std::error_code ec;
  if (!stdfs::is_directory(dir, ec)) {
    *error = dir + ": not a directory";
    return false;
  }
  // Sorted, so that the archive (and every inode number in the guest) is the same each run.
  std::vector<stdfs::path> paths;
  for (auto it = stdfs::recursive_directory_iterator(dir, ec);
       !ec && it != stdfs::recursive_directory_iterator(); it.increment(ec)) {
    paths.push_back(it->path());
  }
  if (ec) {
    *error = dir + ": " + ec.message();
    return false;
  }
  std::sort(paths.begin(), paths.end());
  for (const stdfs::path& p : paths) {
    std::string name = stdfs::relative(p, dir, ec).generic_string();
    struct stat st;
    if (ec || ::lstat(p.c_str(), &st) != 0) {
      *error = p.string() + ": cannot stat";
      return false;
    }
    uint32_t perm = st.st_mode & 07777;
    uint32_t mtime = static_cast<uint32_t>(st.st_mtime);
    if (S_ISDIR(st.st_mode)) {
      cpio.AddDirectory(name, perm, st.st_uid, st.st_gid, mtime);
    } else if (S_ISREG(st.st_mode)) {
      std::string bytes;
      if (!ReadHostFile(p.string(), &bytes, error)) return false;
      cpio.AddFile(name, perm, bytes, st.st_uid, st.st_gid, mtime);
    } else if (S_ISLNK(st.st_mode)) {
      std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
      ssize_t n = ::readlink(p.c_str(), target.data(), target.size());
      if (n < 0) {
        *error = p.string() + ": readlink: " + std::strerror(errno);
        return false;
      }
      target.resize(static_cast<size_t>(n));
      cpio.AddSymlink(name, target, st.st_uid, st.st_gid, mtime);
    } else {
      cpio.AddNode(name, st.st_mode & 0177777, major(st.st_rdev), minor(st.st_rdev), st.st_uid,
                   st.st_gid, mtime);
    }
  }
  return true;
}

}  // namespace sim
