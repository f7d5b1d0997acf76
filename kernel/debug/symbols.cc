#include "kernel/debug/symbols.h"

// Filled in by tools/ksyms inside the image's .ksyms section; absent (null) on hostsim.
extern "C" const kernel::u8 aramid_ksyms[] __attribute__((weak));

namespace kernel::debug {
namespace {

const KsymsHeader* Table(const u8* table) {
  if (table == nullptr) return nullptr;
  const auto* h = reinterpret_cast<const KsymsHeader*>(table);
  return h->magic == kKsymsMagic ? h : nullptr;
}

const KsymsEntry* Entries(const KsymsHeader* h) {
  return reinterpret_cast<const KsymsEntry*>(h + 1);
}

const char* Name(const KsymsHeader* h, const KsymsEntry& e) {
  return reinterpret_cast<const char*>(h) + h->names_offset + e.name_offset;
}

}  // namespace

bool LookupSymbol(u64 addr, SymbolInfo* out) { return LookupSymbolIn(aramid_ksyms, addr, out); }
u64 FindSymbol(const char* name) { return FindSymbolIn(aramid_ksyms, name); }

bool LookupSymbolIn(const u8* table, u64 addr, SymbolInfo* out) {
  const KsymsHeader* h = Table(table);
  if (h == nullptr || h->count == 0) return false;
  const KsymsEntry* e = Entries(h);
  // The last entry whose address is <= addr.
  usize lo = 0, hi = h->count;
  while (lo < hi) {
    usize mid = lo + (hi - lo) / 2;
    if (e[mid].address <= addr) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == 0) return false;
  const KsymsEntry& s = e[lo - 1];
  // A sized symbol must contain addr; an unsized one (an assembly label) reaches to the next.
  if (s.size != 0 && addr >= s.address + s.size) return false;
  out->name = Name(h, s);
  out->start = s.address;
  out->offset = addr - s.address;
  return true;
}

u64 FindSymbolIn(const u8* table, const char* name) {
  const KsymsHeader* h = Table(table);
  if (h == nullptr) return 0;
  const KsymsEntry* e = Entries(h);
  for (usize i = 0; i < h->count; ++i) {
    const char* n = Name(h, e[i]);
    usize k = 0;
    while (n[k] && n[k] == name[k]) ++k;
    if (n[k] == name[k]) return e[i].address;
  }
  return 0;
}

usize SymbolCount() {
  const KsymsHeader* h = Table(aramid_ksyms);
  return h ? h->count : 0;
}

}  // namespace kernel::debug
