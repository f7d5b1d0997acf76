#include "kernel/fs/eventfd.h"

#include "kernel/fs/anon_inode.h"
#include "kernel/fs/poll_queue.h"
#include "kernel/proc/wait_queue.h"

namespace kernel::fs {
namespace {

constexpr u64 kMax = ~u64{0} - 1;  // the counter never reaches 2^64-1 [man 2 eventfd]

class EventFdFile final : public File {
 public:
  EventFdFile(lib::RefPtr<Inode> inode, u32 flags, u64 count, bool semaphore)
      : File(FileKind::kEventFd, Path{}, lib::move(inode), o::kRdWr | (flags & o::kNonBlock)),
        count_(count),
        semaphore_(semaphore) {}

  Result<usize> Read(const IoBuffer& buf, u64&) override {
    if (buf.size() < sizeof(u64)) return Errno::kEINVAL;
    if (count_ == 0) {
      if (nonblocking()) return Errno::kEAGAIN;
      TRY(wait_.WaitInterruptible([&] { return count_ > 0; }));
    }
    u64 value = semaphore_ ? 1 : count_;
    TRY(buf.Write(0, &value, sizeof(value)));
    count_ -= value;
    wait_.WakeAll();
    poll_.Notify(ev::kWritable);
    return sizeof(u64);
  }

  Result<usize> Write(const IoBuffer& buf, u64&) override {
    if (buf.size() < sizeof(u64)) return Errno::kEINVAL;
    u64 value;
    TRY(buf.Read(0, &value, sizeof(value)));
    if (value == ~u64{0}) return Errno::kEINVAL;
    if (kMax - count_ < value) {
      if (nonblocking()) return Errno::kEAGAIN;
      TRY(wait_.WaitInterruptible([&] { return kMax - count_ >= value; }));
    }
    count_ += value;
    if (value > 0) {
      wait_.WakeAll();
      poll_.Notify(ev::kReadable);
    }
    return sizeof(u64);
  }

  bool seekable() const override { return false; }
  Result<u64> Seek(i64, int) override { return Errno::kESPIPE; }
  u32 Poll() override {
    u32 e = 0;
    if (count_ > 0) e |= ev::kReadable;
    if (count_ < kMax) e |= ev::kWritable;
    return e;
  }
  PollQueue* poll_queue() override { return &poll_; }
  Result<lib::String> Describe() const override {
    return lib::String::TryFrom("anon_inode:[eventfd]");
  }

 private:
  u64 count_;
  bool semaphore_;
  proc::WaitQueue wait_;
  PollQueue poll_;
};

}  // namespace

Result<lib::RefPtr<File>> CreateEventFd(u32 initval, u32 flags) {
  if (flags & ~(kEfdSemaphore | kEfdNonBlock | kEfdCloexec)) return Errno::kEINVAL;
  lib::RefPtr<Inode> inode = TRY(CreateAnonInode(0600, 0, 0));
  return MakeFile<EventFdFile>(lib::move(inode), flags, u64{initval}, (flags & kEfdSemaphore) != 0);
}

}  // namespace kernel::fs
