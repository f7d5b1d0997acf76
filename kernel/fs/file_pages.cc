#include "kernel/fs/file_pages.h"

#include "kernel/fs/inode.h"
#include "kernel/lib/alloc.h"
#include "kernel/mm/address_space.h"

namespace kernel::fs {

Result<lib::RefPtr<mm::MemoryObject>> FilePages::Create(lib::RefPtr<File> file) {
  FilePages* pages = TRY(lib::TryNew<FilePages>(lib::move(file)));
  return lib::RefPtr<mm::MemoryObject>(lib::AdoptRef<mm::MemoryObject>(pages));
}

Result<PhysAddr> FilePages::GetPage(u64 index) {
  Inode* inode = file_->inode();
  if (inode != nullptr && inode->is_regular() &&
      index >= (inode->size() + kPageSize - 1) / kPageSize) {
    return Errno::kENXIO;
  }
  return file_->GetPage(index);
}

const void* FilePages::mapping_key() const {
  const Inode* inode = file_->inode();
  return inode != nullptr ? static_cast<const void*>(inode) : static_cast<const void*>(this);
}

void ZapMappingsPast(const Inode& inode, u64 new_size) {
  mm::AddressSpace::ZapObjectPages(&inode, (new_size + kPageSize - 1) / kPageSize);
}

}  // namespace kernel::fs
