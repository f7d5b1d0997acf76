#pragma once
/// The vDSO [man 7 vdso]: the shared object built from kernel/vdso/image/ (cmake/Vdso.cmake),
/// embedded in the kernel and mapped into every new address space at execve, with its data
/// page just below it:
///
///   base - 4096   [vvar]  r--   struct AramidVvar (vvar_abi.h), written by the kernel
///   base          [vdso]  r-x   the ELF image; AT_SYSINFO_EHDR = base
///
/// The pages are one MemoryObject shared by every process (private, read-only mappings of
/// it: a debugger's write copies the page). It exists while something maps it, so a kernel
/// with no processes holds no vDSO pages.
///
/// /proc/<pid>/maps names the VMAs by their flags: mm::vma_flags::kVdso is "[vdso]",
/// kVvar is "[vvar]".
#include "kernel/lib/result.h"
#include "kernel/lib/std.h"
#include "kernel/mm/address_space.h"

namespace kernel::vdso {

/// The embedded ELF image.
lib::span<const u8> Image();

/// Maps the data page and the vDSO into `as` (top-down, like mmap without a hint) and
/// returns the vDSO's base for AT_SYSINFO_EHDR. ENOMEM.
Result<u64> MapVdso(mm::AddressSpace& as);

/// Rewrites the data page from the clocks (the wall-clock offset): call whenever they change
/// (clock_settime, settimeofday).
void UpdateVvar();

}  // namespace kernel::vdso
