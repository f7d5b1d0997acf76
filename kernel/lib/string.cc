#include "kernel/lib/string.h"

#include "kernel/lib/alloc.h"
#include "kernel/lib/assert.h"
#include "kernel/lib/format.h"

namespace kernel::lib {
namespace {

// Counts what a format would produce, so the buffer can be sized before writing.
class CountingSink final : public FormatSink {
 public:
  void Put(const char*, usize n) override { count_ += n; }
  usize count() const { return count_; }

 private:
  usize count_ = 0;
};

}  // namespace

String& String::operator=(String&& other) noexcept {
  if (this != &other) {
    Reset();
    data_ = exchange(other.data_, nullptr);
    size_ = exchange(other.size_, 0);
    capacity_ = exchange(other.capacity_, 0);
  }
  return *this;
}

String::~String() { Free(data_); }

Result<String> String::TryFrom(string_view s) {
  String out;
  TRY(out.TryAppend(s));
  return out;
}

Result<String> String::TryFormat(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  Result<String> out = TryVFormat(fmt, args);
  va_end(args);
  return out;
}

Result<String> String::TryVFormat(const char* fmt, va_list args) {
  String out;
  TRY(out.TryVAppendFormat(fmt, args));
  return out;
}

char String::operator[](usize i) const {
  ARAMID_DEBUG_ASSERT(i < size_, "index %zu, size %zu", i, size_);
  return data_[i];
}

char& String::operator[](usize i) {
  ARAMID_DEBUG_ASSERT(i < size_, "index %zu, size %zu", i, size_);
  return data_[i];
}

Result<void> String::TryReserve(usize n) {
  if (n <= capacity_) return Ok();
  usize bytes;
  if (AddOverflows(n, usize{1}, &bytes)) return Errno::kENOMEM;
  auto* fresh = static_cast<char*>(Allocate(bytes, 1));
  if (fresh == nullptr) return Errno::kENOMEM;
  if (size_ > 0) __builtin_memcpy(fresh, data_, size_);
  fresh[size_] = '\0';
  Free(data_);
  data_ = fresh;
  capacity_ = n;
  return Ok();
}

// Grows geometrically so that appending byte by byte is amortized O(1).
Result<void> String::Grow(usize needed) {
  if (needed <= capacity_) return Ok();
  usize doubled;
  if (!MulOverflows(capacity_, usize{2}, &doubled) && doubled > needed) {
    if (TryReserve(doubled < 15 ? 15 : doubled).ok()) return Ok();
  }
  return TryReserve(needed);
}

Result<void> String::TryAppend(string_view s) {
  if (s.empty()) return Ok();
  usize total;
  if (AddOverflows(size_, s.size(), &total)) return Errno::kENOMEM;
  if (total > capacity_) {
    // `s` may point into our own buffer, which Grow frees: remember where it was.
    const char* old = data_;
    bool aliases = old != nullptr && s.data() >= old && s.data() < old + size_;
    usize offset = aliases ? static_cast<usize>(s.data() - old) : 0;
    TRY(Grow(total));
    if (aliases) s = string_view(data_ + offset, s.size());
  }
  __builtin_memmove(data_ + size_, s.data(), s.size());
  size_ = total;
  data_[size_] = '\0';
  return Ok();
}

Result<void> String::TryAppend(char c) { return TryAppend(string_view(&c, 1)); }

Result<void> String::TryAppendFormat(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  Result<void> r = TryVAppendFormat(fmt, args);
  va_end(args);
  return r;
}

Result<void> String::TryVAppendFormat(const char* fmt, va_list args) {
  // Two passes over the arguments: measure, allocate once, then write. Nothing is appended
  // unless the whole text fits.
  va_list measure;
  va_copy(measure, args);
  CountingSink counter;
  usize n = VFormat(counter, fmt, measure);
  va_end(measure);
  usize total;
  if (AddOverflows(size_, n, &total)) return Errno::kENOMEM;
  TRY(Grow(total));
  if (data_ == nullptr) return Ok();  // empty output into an empty string
  BufferSink sink(data_ + size_, n + 1);
  va_list write;
  va_copy(write, args);
  VFormat(sink, fmt, write);
  va_end(write);
  size_ = total;
  data_[size_] = '\0';
  return Ok();
}

Result<void> String::TryAssign(string_view s) {
  if (s.size() > capacity_) {
    String fresh;
    TRY(fresh.TryAppend(s));
    *this = move(fresh);
    return Ok();
  }
  if (s.empty()) {
    Clear();
    return Ok();
  }
  __builtin_memmove(data_, s.data(), s.size());
  size_ = s.size();
  data_[size_] = '\0';
  return Ok();
}

void String::Truncate(usize n) {
  ARAMID_ASSERT(n <= size_, "truncate to %zu, size %zu", n, size_);
  size_ = n;
  if (data_ != nullptr) data_[size_] = '\0';
}

void String::Reset() {
  Free(data_);
  data_ = nullptr;
  size_ = 0;
  capacity_ = 0;
}

void StringBuilder::Append(string_view s) {
  if (!failed_ && text_.TryAppend(s).is_error()) failed_ = true;
}

void StringBuilder::Append(char c) {
  if (!failed_ && text_.TryAppend(c).is_error()) failed_ = true;
}

void StringBuilder::AppendFormat(const char* fmt, ...) {
  if (failed_) return;
  va_list args;
  va_start(args, fmt);
  if (text_.TryVAppendFormat(fmt, args).is_error()) failed_ = true;
  va_end(args);
}

Result<String> StringBuilder::Finish() {
  bool failed = exchange(failed_, false);
  String text = move(text_);
  if (failed) return Errno::kENOMEM;
  return text;
}

}  // namespace kernel::lib
