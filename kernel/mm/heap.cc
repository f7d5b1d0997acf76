// A first-fit heap over a fixed region: enough for the foundation until the buddy allocator
// feeds size classes (TODO(#2)). Headers precede each block; free blocks coalesce on free.
#include "kernel/mm/heap.h"

#include <hal/interrupts.h>

#include "kernel/lib/alloc.h"

namespace kernel::mm::heap {
namespace {

constexpr usize kRegionSize = 8 << 20;
alignas(4096) u8 g_region[kRegionSize];

struct Block {
  usize size;  // bytes after the header
  bool free;
  Block* next;
  Block* prev;
  // 32 bytes in all: payloads stay 16-byte aligned
};
static_assert(sizeof(Block) % 16 == 0);

Block* g_first = nullptr;
Stats g_stats;
bool g_fail_armed = false;
usize g_fail_budget = 0;

void InitOnce() {
  if (g_first != nullptr) return;
  g_first = reinterpret_cast<Block*>(g_region);
  *g_first = Block{kRegionSize - sizeof(Block), true, nullptr, nullptr};
}

}  // namespace

Stats GetStats() { return g_stats; }
void FailAfter(usize n) {
  g_fail_armed = true;
  g_fail_budget = n;
}
void ClearFailure() { g_fail_armed = false; }

}  // namespace kernel::mm::heap

namespace kernel::lib {

using mm::heap::Block;

void* Allocate(usize size, usize align) {
  using namespace mm::heap;
  hal::IrqGuard guard;
  InitOnce();
  if (g_fail_armed) {
    if (g_fail_budget == 0) {
      ++g_stats.failures;
      return nullptr;
    }
    --g_fail_budget;
  }
  if (size == 0) size = 1;
  if (align > 4096 || (align & (align - 1)) != 0) return nullptr;
  size = AlignUp(size, 16);
  for (Block* b = g_first; b != nullptr; b = b->next) {
    if (!b->free) continue;
    auto payload = reinterpret_cast<uptr>(b + 1);
    // Alignment beyond 16: skip ahead inside the block by creating a leading free block.
    uptr aligned = AlignUp(payload, align);
    usize lead = aligned - payload;
    if (lead != 0 && lead < sizeof(Block) + 16) {
      aligned = AlignUp(payload + sizeof(Block) + 16, align);
      lead = aligned - payload;
    }
    if (b->size < lead + size) continue;
    if (lead != 0) {
      auto* nb = reinterpret_cast<Block*>(aligned - sizeof(Block));
      *nb = Block{b->size - lead, true, b->next, b};
      if (b->next) b->next->prev = nb;
      b->next = nb;
      b->size = lead - sizeof(Block);
      b = nb;
    }
    if (b->size >= size + sizeof(Block) + 16) {
      auto* rest = reinterpret_cast<Block*>(reinterpret_cast<u8*>(b + 1) + size);
      *rest = Block{b->size - size - sizeof(Block), true, b->next, b};
      if (b->next) b->next->prev = rest;
      b->next = rest;
      b->size = size;
    }
    b->free = false;
    g_stats.bytes_in_use += b->size;
    ++g_stats.allocations;
    return b + 1;
  }
  ++g_stats.failures;
  return nullptr;
}

void Free(void* p) {
  using namespace mm::heap;
  if (p == nullptr) return;
  hal::IrqGuard guard;
  Block* b = static_cast<Block*>(p) - 1;
  if (b->free) Panic("heap: double free of %p", p);
  b->free = true;
  g_stats.bytes_in_use -= b->size;
  --g_stats.allocations;
  if (b->next && b->next->free) {
    Block* n = b->next;
    b->size += sizeof(Block) + n->size;
    b->next = n->next;
    if (n->next) n->next->prev = b;
  }
  if (b->prev && b->prev->free) {
    Block* pr = b->prev;
    pr->size += sizeof(Block) + b->size;
    pr->next = b->next;
    if (b->next) b->next->prev = pr;
  }
}

}  // namespace kernel::lib
