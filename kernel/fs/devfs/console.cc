// The console device: serial port 0 as a plain byte stream. Input arrives from the HAL's
// interrupt hook into a ring; readers sleep on a wait queue and pollers on a poll queue.
#include <hal/console.h>
#include <hal/interrupts.h>

#include "kernel/fs/devfs/builtin_devices.h"
#include "kernel/fs/poll_queue.h"
#include "kernel/proc/wait_queue.h"

namespace kernel::fs::devfs {
namespace {

constexpr usize kInputSize = 4096;

struct ConsoleInputRing {
  u8 bytes[kInputSize];
  usize head = 0;
  usize count = 0;
  proc::WaitQueue readers;
  PollQueue poll;
};

ConsoleInputRing& Input() {
  static ConsoleInputRing ring;
  return ring;
}

class ConsoleFile final : public DeviceFile {
 public:
  using DeviceFile::DeviceFile;

  Result<usize> Read(const IoBuffer& buf, u64&) override {
    if (buf.size() == 0) return usize{0};
    ConsoleInputRing& in = Input();
    if (in.count == 0) {
      if (nonblocking()) return Errno::kEAGAIN;
      TRY(in.readers.WaitInterruptible([&] { return in.count > 0; }));
    }
    u8 chunk[kInputSize];
    usize n;
    {
      hal::IrqGuard guard;
      n = buf.size() < in.count ? buf.size() : in.count;
      for (usize i = 0; i < n; ++i) chunk[i] = in.bytes[(in.head + i) % kInputSize];
      in.head = (in.head + n) % kInputSize;
      in.count -= n;
    }
    TRY(buf.Write(0, chunk, n));
    return n;
  }

  Result<usize> Write(const IoBuffer& buf, u64&) override {
    char chunk[256];
    for (usize done = 0; done < buf.size();) {
      usize n = buf.size() - done < sizeof(chunk) ? buf.size() - done : sizeof(chunk);
      Result<void> r = buf.Read(done, chunk, n);
      if (r.is_error()) return done > 0 ? Result<usize>(done) : Result<usize>(r.error());
      hal::Console::Write(0, chunk, n);
      done += n;
    }
    return buf.size();
  }

  bool seekable() const override { return false; }
  Result<u64> Seek(i64, int) override { return Errno::kESPIPE; }
  u32 Poll() override { return (Input().count > 0 ? ev::kReadable : 0) | ev::kWritable; }
  PollQueue* poll_queue() override { return &Input().poll; }
};

}  // namespace

void ConsoleInput(u8 byte) {
  ConsoleInputRing& in = Input();
  {
    hal::IrqGuard guard;
    if (in.count == kInputSize) return;  // full: drop, never block the interrupt
    in.bytes[(in.head + in.count) % kInputSize] = byte;
    ++in.count;
  }
  in.readers.WakeAll();
  in.poll.Notify(ev::kReadable);
}

Result<lib::RefPtr<File>> OpenConsole(const Path& path, lib::RefPtr<Inode> inode, u32 flags,
                                      const Actor&) {
  return MakeFile<ConsoleFile>(path, lib::move(inode), flags);
}

}  // namespace kernel::fs::devfs
