#pragma once
/// signalfd(2): pending signals read as a file [man 2 signalfd; linux fs/signalfd.c].
///
/// A signalfd holds a mask. Reading it takes signals in the mask from the *reading* task's
/// pending set, then from its process's, as `signalfd_siginfo` records (blocking until one
/// is there unless non-blocking), and poll reports it readable while such a signal is
/// pending. Like Linux, it is the caller's signals that count, not its creator's: a signalfd
/// inherited across fork reads the child's signals. Signals are queued with the usual
/// rules: one normally blocks the signals in the mask so they are not delivered first.
#include "kernel/fs/file.h"
#include "kernel/signal/abi.h"

namespace kernel::signal {

inline constexpr u32 kSfdNonBlock = fs::o::kNonBlock;
inline constexpr u32 kSfdCloexec = fs::o::kCloexec;

/// A new signalfd for `mask` (SIGKILL and SIGSTOP are silently dropped from it). Flags other
/// than SFD_NONBLOCK/SFD_CLOEXEC are EINVAL.
Result<lib::RefPtr<fs::File>> CreateSignalFd(SigSet mask, u32 flags);
/// signalfd(fd, mask): replaces the mask of an existing signalfd; EINVAL if `file` is not one.
Result<void> UpdateSignalFd(fs::File& file, SigSet mask);
/// The mask of a signalfd (tests; /proc fdinfo).
Result<SigSet> SignalFdMask(fs::File& file);

/// The signalfd_siginfo record Linux builds from a siginfo: which fields are copied depends
/// on the signal and si_code as in Linux's siginfo_layout [linux signalfd_copyinfo].
SignalfdSiginfo ToSignalfdSiginfo(const SigInfo& info);

}  // namespace kernel::signal
