#pragma once
// Exception-table fixups for instructions that may fault on user addresses (the user-copy
// routines). Each entry names a faulting instruction and where to resume when the fault cannot
// be resolved; the kernel #PF handler first asks hal::hooks::OnKernelUserFault, and retries the
// instruction when it made the page accessible. [linux Documentation/x86/exception-tables.rst]
//
// In inline assembly: "1: movb (%[src]), %%al\n" ARAMID_EXTABLE(1b, 2f) ... "2: <fixup>\n"
#include "hal/x86_64/cpu/x86.h"

#define ARAMID_EXTABLE(insn, fixup) \
  ".pushsection __ex_table, \"a\"\n .balign 8\n .quad " #insn ", " #fixup "\n .popsection\n"

namespace hal::x86_64 {

struct ExTableEntry {
  u64 insn;
  u64 fixup;
};

/// Where to resume after a fault at `rip`, or 0 when rip is not a fixable instruction.
u64 FindFixup(u64 rip);

}  // namespace hal::x86_64
