#pragma once
/// The stack a new program starts on [System V ABI AMD64 §3.4.1, linux fs/binfmt_elf.c
/// create_elf_tables]: from the top, the file name execve was given, the environment and
/// argument strings, the platform string, 16 random bytes, then (16-byte aligned, at the
/// initial %rsp) argc, the argv pointers, NULL, the envp pointers, NULL and the auxiliary
/// vector.
#include "kernel/lib/std.h"
#include "kernel/lib/string.h"
#include "kernel/mm/address_space.h"

namespace kernel::elf {

struct StackContents {
  lib::span<const lib::String> argv;
  lib::span<const lib::String> envp;
  lib::string_view execfn;                       ///< AT_EXECFN: the path as execve received it
  u64 phdr = 0, phnum = 0, entry = 0, base = 0;  ///< AT_PHDR, AT_PHNUM, AT_ENTRY, AT_BASE
  u32 uid = 0, euid = 0, gid = 0, egid = 0;
  u64 sysinfo_ehdr = 0;  ///< AT_SYSINFO_EHDR: the vDSO's base (kernel/vdso), 0 if none
};

/// Bytes the contents need, rounded up to whole pages (sizes the stack mapping).
u64 InitialStackBytes(const StackContents& c);

/// Writes the contents below `top` in `as` (which need not be active) and returns the
/// initial stack pointer. EFAULT if the stack mapping is too small, ENOMEM.
Result<u64> BuildInitialStack(mm::AddressSpace& as, u64 top, const StackContents& c);

}  // namespace kernel::elf
