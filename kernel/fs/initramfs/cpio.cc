#include "kernel/fs/initramfs/cpio.h"

#include <cstdarg>

#include "kernel/fs/abi.h"
#include "kernel/lib/format.h"

namespace kernel::fs::initramfs {
namespace {

bool ParseHex8(const u8* p, u32& out) {
  u32 v = 0;
  for (int i = 0; i < 8; ++i) {
    u8 c = p[i];
    u32 d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return false;
    }
    v = (v << 4) | d;
  }
  out = v;
  return true;
}

constexpr usize Pad4(usize n) { return (4 - (n % 4)) % 4; }

}  // namespace

Errno CpioParser::Fail(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  lib::VSnprintf(message_, sizeof(message_), fmt, args);
  va_end(args);
  return Errno::kEINVAL;
}

Result<void> CpioParser::HeaderDone() {
  if (__builtin_memcmp(header_, "07070", 5) != 0 || (header_[5] != '1' && header_[5] != '2')) {
    if (name_[0] != '\0') {
      return Fail("bad cpio header at offset %llu, after entry '%s' (not newc)",
                  static_cast<unsigned long long>(offset_ - sizeof(header_)), name_);
    }
    return Fail("bad cpio header at offset %llu (not a newc archive)",
                static_cast<unsigned long long>(offset_ - sizeof(header_)));
  }
  u32 f[13];
  for (int i = 0; i < 13; ++i) {
    if (!ParseHex8(header_ + 6 + usize{8} * i, f[i])) {
      return Fail("bad hex field %d in the cpio header at offset %llu (after entry '%s')", i,
                  static_cast<unsigned long long>(offset_ - sizeof(header_)), name_);
    }
  }
  entry_ = CpioEntry{};
  entry_.ino = f[0];
  entry_.mode = f[1];
  entry_.uid = f[2];
  entry_.gid = f[3];
  entry_.nlink = f[4];
  entry_.mtime = f[5];
  entry_.size = f[6];
  entry_.dev_major = f[7];
  entry_.dev_minor = f[8];
  entry_.rdev_major = f[9];
  entry_.rdev_minor = f[10];
  namesize_ = f[11];
  if (namesize_ == 0 || namesize_ > kPathMax) {
    return Fail("bad name size %u in the cpio header at offset %llu (after entry '%s')", namesize_,
                static_cast<unsigned long long>(offset_ - sizeof(header_)), name_);
  }
  state_ = State::kName;
  have_ = 0;
  return Ok();
}

Result<void> CpioParser::NameDone() {
  if (name_[namesize_ - 1] != '\0') {
    name_[namesize_ - 1] = '\0';
    return Fail("entry name '%s' is not NUL-terminated", name_);
  }
  entry_.name = lib::string_view(name_, namesize_ - 1);
  pad_ = Pad4(sizeof(header_) + namesize_);
  state_ = State::kNamePad;
  skip_data_ = entry_.name == "TRAILER!!!";
  if (!skip_data_) {
    Result<void> r = handler_.Begin(entry_);
    if (r.is_error()) return r;
    in_entry_ = true;
  }
  return Ok();
}

Result<usize> CpioParser::Feed(const u8* data, usize n) {
  usize i = 0;
  while (i < n) {
    switch (state_) {
      case State::kAfterTrailer: {
        if (data[i] == 0) {
          ++i;
          ++offset_;
          continue;
        }
        if (data[i] != '0') return i;  // not another cpio archive: the caller's business
        state_ = State::kHeader;
        have_ = 0;
        continue;
      }
      case State::kHeader: {
        usize take = lib::min(n - i, sizeof(header_) - have_);
        __builtin_memcpy(header_ + have_, data + i, take);
        have_ += take;
        i += take;
        offset_ += take;
        if (have_ == sizeof(header_)) TRY(HeaderDone());
        continue;
      }
      case State::kName: {
        usize take = lib::min(n - i, static_cast<usize>(namesize_) - have_);
        __builtin_memcpy(name_ + have_, data + i, take);
        have_ += take;
        i += take;
        offset_ += take;
        if (have_ == namesize_) TRY(NameDone());
        continue;
      }
      case State::kNamePad:
      case State::kDataPad: {
        usize take = lib::min(n - i, pad_);
        pad_ -= take;
        i += take;
        offset_ += take;
        if (pad_ > 0) continue;
        if (state_ == State::kNamePad) {
          state_ = State::kData;
          have_ = 0;
        } else if (skip_data_) {
          state_ = State::kAfterTrailer;
        } else {
          state_ = State::kHeader;
          have_ = 0;
        }
        continue;
      }
      case State::kData: {
        usize take = lib::min(n - i, static_cast<usize>(entry_.size) - have_);
        if (take > 0 && !skip_data_) {
          Result<void> r = handler_.Data(data + i, take);
          if (r.is_error()) return r.error();
        }
        have_ += take;
        i += take;
        offset_ += take;
        if (have_ == entry_.size) {
          if (in_entry_) {
            in_entry_ = false;
            TRY(handler_.End());
          }
          pad_ = Pad4(entry_.size);
          state_ = State::kDataPad;
          if (pad_ == 0) state_ = skip_data_ ? State::kAfterTrailer : State::kHeader;
          have_ = 0;
        }
        continue;
      }
    }
  }
  // A header, name or data that ends exactly here continues with the next piece.
  if (state_ == State::kData && have_ == entry_.size && entry_.size == 0) {
    // Zero-length data completes at once.
    if (in_entry_) {
      in_entry_ = false;
      TRY(handler_.End());
    }
    pad_ = 0;
    state_ = skip_data_ ? State::kAfterTrailer : State::kHeader;
    have_ = 0;
  }
  return n;
}

Result<void> CpioParser::Finish() {
  if (state_ == State::kData && have_ == entry_.size) TRY(Feed(nullptr, 0));
  switch (state_) {
    case State::kAfterTrailer:
      return Ok();
    case State::kHeader:
      if (have_ == 0) {
        if (name_[0] == '\0') return Fail("empty archive");
        return Fail("archive ends after entry '%s' without a TRAILER!!! entry", name_);
      }
      return Fail("truncated cpio header at offset %llu (after entry '%s')",
                  static_cast<unsigned long long>(offset_ - have_), name_);
    case State::kName:
      return Fail("truncated name at offset %llu (after entry '%s')",
                  static_cast<unsigned long long>(offset_ - have_), name_);
    case State::kData:
      return Fail("truncated data in entry '%s' (%llu of %u bytes present)", name_,
                  static_cast<unsigned long long>(have_), entry_.size);
    case State::kNamePad:
    case State::kDataPad:
      // Missing padding at the very end is harmless only after the trailer.
      if (skip_data_) return Ok();
      return Fail("truncated archive in entry '%s'", name_);
  }
  return Ok();
}

}  // namespace kernel::fs::initramfs
