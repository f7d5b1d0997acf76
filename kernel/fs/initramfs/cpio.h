#pragma once
/// A streaming parser for cpio "newc" archives [Documentation/driver-api/early-userspace/
/// buffer-format.rst]: 110-byte ASCII headers ("070701", or "070702" with a checksum field),
/// the NUL-terminated name padded to 4 bytes, the data padded to 4 bytes; "TRAILER!!!" ends
/// an archive, and zero padding may separate it from another archive. Input can arrive in
/// pieces of any size (straight from memory or from the gzip decoder).
#include "kernel/lib/result.h"
#include "kernel/lib/std.h"
#include "kernel/lib/types.h"

namespace kernel::fs::initramfs {

struct CpioEntry {
  lib::string_view name;
  u32 ino;
  u32 mode;
  u32 uid;
  u32 gid;
  u32 nlink;
  u32 mtime;
  u32 size;
  u32 dev_major;
  u32 dev_minor;
  u32 rdev_major;
  u32 rdev_minor;
};

/// What the parser calls for each entry: Begin, then Data for its bytes (possibly in several
/// pieces), then End.
class CpioHandler {
 public:
  virtual Result<void> Begin(const CpioEntry& entry) = 0;
  virtual Result<void> Data(const u8* data, usize n) = 0;
  virtual Result<void> End() = 0;

 protected:
  ~CpioHandler() = default;
};

class CpioParser {
 public:
  explicit CpioParser(CpioHandler& handler) : handler_(handler) {}

  /// Consumes archive bytes. Returns how many it took: all of them, except after a trailer
  /// when the next non-zero bytes are not another cpio header (the caller decides what they
  /// are). EINVAL on malformed input, with message() naming the entry.
  Result<usize> Feed(const u8* data, usize n);
  /// The input has ended: EINVAL unless it ended between entries.
  Result<void> Finish();
  /// Whether at least one trailer has been seen and the parser is between archives.
  bool between_archives() const { return state_ == State::kAfterTrailer; }
  /// The last error, naming the entry ("truncated archive in entry 'bin/sh'").
  const char* message() const { return message_; }
  /// The name of the entry being parsed (or the last one), for messages.
  const char* current_name() const { return name_; }
  u64 offset() const { return offset_; }

 private:
  enum class State : u8 { kHeader, kName, kNamePad, kData, kDataPad, kAfterTrailer };
  Errno Fail(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  Result<void> HeaderDone();
  Result<void> NameDone();

  CpioHandler& handler_;
  State state_ = State::kHeader;
  u8 header_[110];
  usize have_ = 0;  // bytes collected for the current header/name, or data consumed
  usize pad_ = 0;   // padding bytes still to skip
  CpioEntry entry_{};
  u32 namesize_ = 0;
  char name_[4097] = {};
  bool in_entry_ = false;   // Begin was called and End is due
  bool skip_data_ = false;  // the trailer's data (if any) is not an entry's
  u64 offset_ = 0;          // of the input, for messages
  char message_[320] = {};
};

}  // namespace kernel::fs::initramfs
