#include "kernel/mm/memory_object.h"

#include <hal/phys.h>

#include "kernel/lib/alloc.h"
#include "kernel/mm/page_alloc.h"

namespace kernel::mm {

Result<lib::RefPtr<MemoryObject>> AnonObject::Create() {
  AnonObject* o = TRY(lib::TryNew<AnonObject>());
  return lib::RefPtr<MemoryObject>(lib::AdoptRef<MemoryObject>(o));
}

AnonObject::~AnonObject() {
  for (auto& e : pages_) PutPage(e.value);
}

Result<PhysAddr> AnonObject::GetPage(u64 index) {
  if (PhysAddr* p = pages_.Find(index)) {
    mm::GetPage(*p);
    return *p;
  }
  PhysAddr pa = TRY(AllocZeroedPage());
  auto stored = pages_.TryInsert(index, pa);
  if (stored.is_error()) {
    FreePage(pa);
    return stored.error();
  }
  mm::GetPage(pa);  // one reference stays with the object, one goes to the caller
  return pa;
}

Result<void> AnonObject::DiscardPages(u64 first, u64 count) {
  pages_.EraseIf([&](const u64& index, PhysAddr& pa) {
    if (index < first || index - first >= count) return false;
    PutPage(pa);
    return true;
  });
  return Ok();
}

Result<lib::RefPtr<BufferObject>> BufferObject::Create(const u8* data, usize size) {
  BufferObject* o = TRY(lib::TryNew<BufferObject>(data, size));
  return lib::AdoptRef(o);
}

BufferObject::~BufferObject() {
  for (auto& e : pages_) PutPage(e.value);
}

usize BufferObject::ReadAt(void* dst, usize n, u64 offset) const {
  if (offset >= size_) return 0;
  usize avail = size_ - static_cast<usize>(offset);
  if (n > avail) n = avail;
  __builtin_memcpy(dst, data_ + offset, n);
  return n;
}

Result<PhysAddr> BufferObject::GetPage(u64 index) {
  if (PhysAddr* p = pages_.Find(index)) {
    mm::GetPage(*p);
    return *p;
  }
  PhysAddr pa = TRY(AllocZeroedPage());
  if (index < (size_ + kPageSize - 1) / kPageSize) {
    ReadAt(hal::Phys::ToVirt(pa), kPageSize, index * kPageSize);
  }
  auto stored = pages_.TryInsert(index, pa);
  if (stored.is_error()) {
    FreePage(pa);
    return stored.error();
  }
  mm::GetPage(pa);
  return pa;
}

}  // namespace kernel::mm
