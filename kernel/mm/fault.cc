#include "kernel/mm/fault.h"

namespace kernel::mm {

// TODO(#5): look the address up in the task's VMAs; demand-zero, file-backed, CoW.
bool HandleUserPageFault(proc::Task&, u64, u64) { return false; }

}  // namespace kernel::mm
