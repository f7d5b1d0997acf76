#pragma once
/// The kernel library's integer names, visible unqualified inside namespace hal.
#include "kernel/lib/types.h"

namespace hal {
using kernel::i64;
using kernel::isize;
using kernel::PhysAddr;
using kernel::u16;
using kernel::u32;
using kernel::u64;
using kernel::u8;
using kernel::usize;
}  // namespace hal
