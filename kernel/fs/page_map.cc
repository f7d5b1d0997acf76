#include "kernel/fs/page_map.h"

#include <hal/phys.h>

#include "kernel/lib/assert.h"
#include "kernel/mm/page_alloc.h"

namespace kernel::fs {
namespace {

u64* Node(PhysAddr pa) { return static_cast<u64*>(hal::Phys::ToVirt(pa)); }

// Frees node `pa` of `level` (1 = leaf) and everything below it that maps indices >= first,
// calling visit for each data page; returns true when the node maps nothing any more (and
// has been freed).
bool RemoveRec(PhysAddr pa, unsigned level, u64 base, u64 first,
               void (*visit)(void*, u64, PhysAddr), void* ctx, u64& count) {
  u64* slots = Node(pa);
  u64 span = u64{1} << ((level - 1) * 9);
  bool empty = true;
  for (u64 i = 0; i < 512; ++i) {
    if (slots[i] == 0) continue;
    u64 lo = base + i * span;
    u64 hi = lo + span;  // exclusive; may wrap only at the very top, where hi > first anyway
    if (hi != 0 && hi <= first) {
      empty = false;
      continue;
    }
    if (level == 1) {
      visit(ctx, lo, slots[i]);
      slots[i] = 0;
      --count;
    } else if (RemoveRec(slots[i], level - 1, lo, first, visit, ctx, count)) {
      slots[i] = 0;
    } else {
      empty = false;
    }
  }
  if (empty) mm::FreePage(pa);
  return empty;
}

}  // namespace

PageMap::~PageMap() {
  ARAMID_ASSERT(root_ == 0, "PageMap destroyed with %llu pages",
                static_cast<unsigned long long>(count_));
}

PhysAddr PageMap::Get(u64 index) const {
  if (height_ == 0 || index >= Capacity()) return 0;
  PhysAddr node = root_;
  for (unsigned level = height_; level > 1; --level) {
    node = Node(node)[(index >> ((level - 1) * kBits)) & (kFanout - 1)];
    if (node == 0) return 0;
  }
  return Node(node)[index & (kFanout - 1)];
}

Result<void> PageMap::Set(u64 index, PhysAddr page) {
  if (index > kMaxIndex) return Errno::kEFBIG;
  // Grow upwards until the root covers `index`. New roots are only kept once the whole
  // operation can succeed, so ENOMEM leaves the map as it was.
  PhysAddr root = root_;
  unsigned height = height_;
  PhysAddr grown[8];
  unsigned n_grown = 0;
  auto undo = [&] {
    for (unsigned i = 0; i < n_grown; ++i) mm::FreePage(grown[i]);
  };
  if (height == 0) {
    root = TRY(mm::AllocZeroedPage());
    grown[n_grown++] = root;
    height = 1;
  }
  while (index >= (height * kBits >= 64 ? ~u64{0} : u64{1} << (height * kBits))) {
    Result<PhysAddr> up = mm::AllocZeroedPage();
    if (up.is_error()) {
      undo();
      return Errno::kENOMEM;
    }
    Node(up.value())[0] = root;
    root = up.value();
    grown[n_grown++] = root;
    ++height;
  }
  // Walk down, allocating missing interior nodes.
  PhysAddr node = root;
  PhysAddr made[8];
  u64* made_slot[8];
  unsigned n_made = 0;
  for (unsigned level = height; level > 1; --level) {
    u64& slot = Node(node)[(index >> ((level - 1) * kBits)) & (kFanout - 1)];
    if (slot == 0) {
      Result<PhysAddr> child = mm::AllocZeroedPage();
      if (child.is_error()) {
        for (unsigned i = n_made; i > 0; --i) {
          *made_slot[i - 1] = 0;
          mm::FreePage(made[i - 1]);
        }
        // Roots grown above the old root point at it: unhook before freeing them.
        undo();
        return Errno::kENOMEM;
      }
      slot = child.value();
      made[n_made] = slot;
      made_slot[n_made++] = &slot;
    }
    node = slot;
  }
  u64& leaf = Node(node)[index & (kFanout - 1)];
  ARAMID_ASSERT(leaf == 0, "PageMap::Set over a mapped index %llu",
                static_cast<unsigned long long>(index));
  leaf = page;
  root_ = root;
  height_ = height;
  ++count_;
  return Ok();
}

void PageMap::RemoveFromImpl(u64 first, Visit visit, void* ctx) {
  if (height_ == 0) return;
  if (RemoveRec(root_, height_, 0, first, visit, ctx, count_)) {
    root_ = 0;
    height_ = 0;
  }
}

lib::optional<u64> PageMap::NextPresent(u64 from) const {
  if (count_ == 0) return lib::nullopt;
  u64 cap = Capacity();
  // Skip empty subtrees a node at a time.
  u64 i = from;
  while (i < cap) {
    PhysAddr node = root_;
    unsigned level = height_;
    bool skipped = false;
    for (; level > 1; --level) {
      u64 span = u64{1} << ((level - 1) * kBits);
      node = Node(node)[(i >> ((level - 1) * kBits)) & (kFanout - 1)];
      if (node == 0) {
        u64 next = (i / span + 1) * span;
        if (next <= i) return lib::nullopt;
        i = next;
        skipped = true;
        break;
      }
    }
    if (skipped) continue;
    if (Node(node)[i & (kFanout - 1)] != 0) return i;
    ++i;
  }
  return lib::nullopt;
}

u64 PageMap::NextAbsent(u64 from) const {
  u64 i = from;
  while (Get(i) != 0) ++i;
  return i;
}

}  // namespace kernel::fs
