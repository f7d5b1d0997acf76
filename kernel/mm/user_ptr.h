#pragma once
/// Typed user pointers (Zircon user_in_ptr/user_out_ptr, SerenityOS Userspace<T>): a user
/// address is an integer inside a type. It cannot be dereferenced, only copied through the
/// MMU, and a bad address is EFAULT, never a crash.
#include <type_traits>

#include <hal/mmu.h>
#include <hal/usercopy.h>

#include "kernel/lib/result.h"
#include "kernel/lib/types.h"

namespace kernel::mm {

/// True when [addr, addr+n) lies entirely in the user half (no wrap-around).
constexpr bool IsUserRange(u64 addr, u64 n) {
  return addr <= hal::kUserEnd && n <= hal::kUserEnd - addr;
}

/// Copies in/out of the active address space; EFAULT unless every byte moved.
inline Result<void> CopyFromUser(void* dst, u64 src, usize n) {
  if (!IsUserRange(src, n)) return Errno::kEFAULT;
  if (n == 0) return Ok();
  if (hal::UserCopy::CopyFromUser(dst, src, n) != 0) return Errno::kEFAULT;
  return Ok();
}
inline Result<void> CopyToUser(u64 dst, const void* src, usize n) {
  if (!IsUserRange(dst, n)) return Errno::kEFAULT;
  if (n == 0) return Ok();
  if (hal::UserCopy::CopyToUser(dst, src, n) != 0) return Errno::kEFAULT;
  return Ok();
}
inline Result<void> ClearUser(u64 dst, usize n) {
  if (!IsUserRange(dst, n)) return Errno::kEFAULT;
  if (n == 0) return Ok();
  if (hal::UserCopy::ClearUser(dst, n) != 0) return Errno::kEFAULT;
  return Ok();
}

/// Common part of the typed pointers: the raw address.
class UserAddress {
 public:
  constexpr UserAddress() = default;
  constexpr explicit UserAddress(u64 addr) : addr_(addr) {}
  constexpr u64 addr() const { return addr_; }
  constexpr bool is_null() const { return addr_ == 0; }

 protected:
  u64 addr_ = 0;
};

/// A pointer to T that the kernel reads from user memory.
template <typename T>
class UserIn : public UserAddress {
  static_assert(std::is_trivially_copyable_v<T> || std::is_void_v<T>);

 public:
  using UserAddress::UserAddress;
  using Element = T;

  Result<T> Read() const requires(!std::is_void_v<T>) {
    T value;
    TRY(CopyFromUser(&value, addr_, sizeof(T)));
    return value;
  }
  /// Reads `count` consecutive elements into `dst`.
  Result<void> ReadArray(T* dst, usize count) const requires(!std::is_void_v<T>) {
    if (count > ~usize{0} / sizeof(T)) return Errno::kEFAULT;
    return CopyFromUser(dst, addr_, count * sizeof(T));
  }
  /// Reads bytes (for void or char pointers).
  Result<void> ReadBytes(void* dst, usize n) const { return CopyFromUser(dst, addr_, n); }
  /// The pointer `index` elements further on.
  UserIn Offset(usize index) const requires(!std::is_void_v<T>) {
    return UserIn(addr_ + index * sizeof(T));
  }
};

/// A pointer to T that the kernel writes to user memory.
template <typename T>
class UserOut : public UserAddress {
  static_assert(std::is_trivially_copyable_v<T> || std::is_void_v<T>);

 public:
  using UserAddress::UserAddress;
  using Element = T;

  Result<void> Write(const T& value) const requires(!std::is_void_v<T>) {
    return CopyToUser(addr_, &value, sizeof(T));
  }
  Result<void> WriteArray(const T* src, usize count) const requires(!std::is_void_v<T>) {
    if (count > ~usize{0} / sizeof(T)) return Errno::kEFAULT;
    return CopyToUser(addr_, src, count * sizeof(T));
  }
  Result<void> WriteBytes(const void* src, usize n) const { return CopyToUser(addr_, src, n); }
  UserOut Offset(usize index) const requires(!std::is_void_v<T>) {
    return UserOut(addr_ + index * sizeof(T));
  }
};

/// A pointer the kernel both reads and writes (e.g. socklen_t* in accept).
template <typename T>
class UserInOut : public UserAddress {
 public:
  using UserAddress::UserAddress;
  using Element = T;

  Result<T> Read() const { return UserIn<T>(addr_).Read(); }
  Result<void> Write(const T& value) const { return UserOut<T>(addr_).Write(value); }
  UserIn<T> in() const { return UserIn<T>(addr_); }
  UserOut<T> out() const { return UserOut<T>(addr_); }
};

/// A NUL-terminated string in user memory (a path, a name).
class UserCString : public UserAddress {
 public:
  using UserAddress::UserAddress;

  /// Copies the string, NUL included, into buf[0..capacity). Returns its length.
  /// ENAMETOOLONG when it does not fit, EFAULT on a bad address.
  Result<usize> Copy(char* buf, usize capacity) const {
    if (capacity == 0) return Errno::kENAMETOOLONG;
    if (addr_ >= hal::kUserEnd) return Errno::kEFAULT;
    usize limit = capacity;
    if (hal::kUserEnd - addr_ < limit) limit = hal::kUserEnd - addr_;
    isize n = hal::UserCopy::StrncpyFromUser(buf, addr_, limit);
    if (n < 0) return Errno::kEFAULT;
    if (static_cast<usize>(n) >= limit) {
      // No NUL within reach: either it is too long, or the string runs off the user half.
      return limit < capacity ? Errno::kEFAULT : Errno::kENAMETOOLONG;
    }
    return static_cast<usize>(n);
  }
};

}  // namespace kernel::mm
