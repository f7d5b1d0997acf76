#pragma once
/// The system-call table: one entry per number, built at compile time from the family lists
/// (kernel/syscalls/*_list.h). Each entry knows how to call its handler with typed arguments
/// and how to print them, so the dispatcher, the tracer and the names come from one spec.
#include <array>
#include <utility>

#include "kernel/lib/format.h"
#include "kernel/lib/result.h"
#include "kernel/syscalls/args.h"
#include "kernel/syscalls/names.h"

namespace kernel::proc {
class Task;
}

namespace kernel::syscalls {

inline constexpr usize kMaxArgs = 6;

struct SyscallEntry {
  const char* name = nullptr;
  i64 (*invoke)(proc::Task& task, const u64* args) = nullptr;
  void (*trace_args)(lib::FormatSink& out, const u64* args) = nullptr;
  void (*trace_result)(lib::FormatSink& out, i64 raw) = nullptr;
};

namespace internal {

template <auto Fn>
struct Handler;

template <typename R, typename... A, Result<R> (*Fn)(proc::Task&, A...)>
struct Handler<Fn> {
  static_assert(sizeof...(A) <= kMaxArgs, "a system call has at most six arguments");

  static i64 Invoke(proc::Task& task, const u64* args) {
    return [&]<usize... I>(std::index_sequence<I...>)->i64 {
      Result<R> r = Fn(task, ArgTraits<A>::From(args[I])...);
      if (r.is_error()) return -static_cast<i64>(ToInt(r.error()));
      if constexpr (std::is_void_v<R>) {
        return 0;
      } else {
        return ResultTraits<R>::ToRaw(r.value());
      }
    }
    (std::index_sequence_for<A...>());
  }

  static void TraceArgs(lib::FormatSink& out, const u64* args) {
    [&]<usize... I>(std::index_sequence<I...>) {
      ((I > 0 ? (void)lib::Format(out, ", ") : (void)0,
        ArgTraits<A>::Trace(out, ArgTraits<A>::From(args[I]))),
       ...);
    }
    (std::index_sequence_for<A...>());
  }

  static void TraceResult(lib::FormatSink& out, i64 raw) { ResultTraits<R>::Trace(out, raw); }
};

template <auto Fn>
constexpr SyscallEntry MakeEntry(const char* name) {
  return SyscallEntry{name, &Handler<Fn>::Invoke, &Handler<Fn>::TraceArgs,
                      &Handler<Fn>::TraceResult};
}

}  // namespace internal

/// The entry for a number, or nullptr when Aramid does not implement it.
const SyscallEntry* Lookup(u64 number);

}  // namespace kernel::syscalls
