#pragma once
/// Kernel symbol lookup for backtraces. The table is embedded into the image after linking by
/// tools/ksyms (a sorted list of functions with their sizes and demangled names); a build
/// without it (hostsim) simply knows no symbols.
#include "kernel/lib/types.h"

namespace kernel::debug {

struct SymbolInfo {
  const char* name;  ///< NUL-terminated, demangled
  u64 start;         ///< address of the function
  u64 offset;        ///< addr - start
};

/// The function containing `addr`; false when the table is missing or the address is in none.
bool LookupSymbol(u64 addr, SymbolInfo* out);

/// The address of the function named exactly `name` (tests, debuggers); 0 when unknown.
u64 FindSymbol(const char* name);

/// Number of symbols in the embedded table.
usize SymbolCount();

/// The same lookups on a given table (tests; tools). `table` may be null.
bool LookupSymbolIn(const u8* table, u64 addr, SymbolInfo* out);
u64 FindSymbolIn(const u8* table, const char* name);

/// Layout of the embedded table, shared with tools/ksyms (host) [little-endian].
struct KsymsHeader {
  u32 magic;         ///< kKsymsMagic once filled in; 0 in an unprocessed image
  u32 count;         ///< entries, sorted by address
  u32 names_offset;  ///< from the start of the header
  u32 total_size;    ///< bytes used, header included
};
struct KsymsEntry {
  u64 address;
  u32 size;         ///< 0 when the symbol had no size (assembly labels)
  u32 name_offset;  ///< from names_offset
};
inline constexpr u32 kKsymsMagic = 0x4d59'534b;  // "KSYM"

}  // namespace kernel::debug
