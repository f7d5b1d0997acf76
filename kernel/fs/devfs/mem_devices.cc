// The memory devices [drivers/char/mem.c, drivers/char/random.c] and the built-in device
// table.

#include "kernel/debug/log.h"
#include "kernel/fs/devfs/builtin_devices.h"
#include "kernel/random/random.h"

namespace kernel::fs::devfs {
namespace {

// /dev/null: reads see EOF, writes vanish, seeks go to 0.
class NullFile final : public DeviceFile {
 public:
  using DeviceFile::DeviceFile;
  Result<usize> Read(const IoBuffer&, u64&) override { return usize{0}; }
  Result<usize> Write(const IoBuffer& buf, u64&) override { return buf.size(); }
  Result<u64> Seek(i64, int) override {
    pos_ = 0;
    return u64{0};
  }
};

// /dev/zero: an endless source of zeros; writes vanish. /dev/full: reads as zero, writes
// fail with ENOSPC.
class ZeroFile final : public DeviceFile {
 public:
  ZeroFile(const Path& path, lib::RefPtr<Inode> inode, u32 flags, bool full)
      : DeviceFile(path, lib::move(inode), flags), full_(full) {}
  Result<usize> Read(const IoBuffer& buf, u64&) override {
    TRY(buf.Zero(0, buf.size()));
    return buf.size();
  }
  Result<usize> Write(const IoBuffer& buf, u64&) override {
    if (full_ && buf.size() > 0) return Errno::kENOSPC;
    return buf.size();
  }
  Result<u64> Seek(i64, int) override {
    pos_ = 0;
    return u64{0};
  }

 private:
  bool full_;
};

class RandomFile final : public DeviceFile {
 public:
  using DeviceFile::DeviceFile;
  Result<usize> Read(const IoBuffer& buf, u64&) override {
    u8 chunk[256];
    for (usize done = 0; done < buf.size();) {
      usize n = buf.size() - done < sizeof(chunk) ? buf.size() - done : sizeof(chunk);
      FillRandom(chunk, n);
      Result<void> r = buf.Write(done, chunk, n);
      if (r.is_error()) return done > 0 ? Result<usize>(done) : Result<usize>(r.error());
      done += n;
    }
    return buf.size();
  }
  Result<usize> Write(const IoBuffer& buf, u64&) override { return buf.size(); }
  Result<u64> Seek(i64, int) override { return u64{0}; }
};

// /dev/kmsg: each write is one log record [Documentation/ABI/testing/dev-kmsg].
// TODO(#8): reading records back needs a log ring buffer; reads see EOF for now.
class KmsgFile final : public DeviceFile {
 public:
  using DeviceFile::DeviceFile;
  Result<usize> Read(const IoBuffer&, u64&) override { return usize{0}; }
  Result<usize> Write(const IoBuffer& buf, u64&) override {
    char line[1024];
    usize n = buf.size() < sizeof(line) - 1 ? buf.size() : sizeof(line) - 1;
    TRY(buf.Read(0, line, n));
    line[n] = '\0';
    // A leading "<N>" is the record's level.
    const char* text = line;
    if (n >= 3 && line[0] == '<') {
      usize i = 1;
      while (i < n && line[i] >= '0' && line[i] <= '9') ++i;
      if (i < n && line[i] == '>') text = line + i + 1;
    }
    LOG_INFO("%s%s", text, n > 0 && line[n - 1] == '\n' ? "" : "\n");
    return buf.size();
  }
  Result<u64> Seek(i64, int) override { return u64{0}; }
};

template <typename T>
Result<lib::RefPtr<File>> OpenSimple(const Path& path, lib::RefPtr<Inode> inode, u32 flags,
                                     const Actor&) {
  return MakeFile<T>(path, lib::move(inode), flags);
}

Result<lib::RefPtr<File>> OpenZero(const Path& path, lib::RefPtr<Inode> inode, u32 flags,
                                   const Actor&) {
  return MakeFile<ZeroFile>(path, lib::move(inode), flags, false);
}
Result<lib::RefPtr<File>> OpenFull(const Path& path, lib::RefPtr<Inode> inode, u32 flags,
                                   const Actor&) {
  return MakeFile<ZeroFile>(path, lib::move(inode), flags, true);
}

constexpr CharDevice kBuiltins[] = {
    {devno::kMemMajor, 3, 1, "mem", &OpenSimple<NullFile>},
    {devno::kMemMajor, 5, 1, "mem", &OpenZero},
    {devno::kMemMajor, 7, 1, "mem", &OpenFull},
    {devno::kMemMajor, 8, 2, "mem", &OpenSimple<RandomFile>},
    {devno::kMemMajor, 11, 1, "mem", &OpenSimple<KmsgFile>},
};

}  // namespace

// /dev/random and /dev/urandom read the kernel's one generator, the one behind getrandom and
// AT_RANDOM, so that hostsim's --seed decides them too.
void FillRandom(void* buf, usize n) { random::GetBytes(buf, n); }

constexpr usize kMemDeviceCount = sizeof(kBuiltins) / sizeof(kBuiltins[0]);

usize BuiltinDeviceCount() { return kMemDeviceCount + kTtyDeviceCount; }
const CharDevice& BuiltinDevice(usize i) {
  return i < kMemDeviceCount ? kBuiltins[i] : kTtyDevices[i - kMemDeviceCount];
}

}  // namespace kernel::fs::devfs
