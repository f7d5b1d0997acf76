#include "kernel/fs/file_pages.h"

#include "kernel/lib/alloc.h"

namespace kernel::fs {

Result<lib::RefPtr<mm::MemoryObject>> FilePages::Create(lib::RefPtr<File> file) {
  FilePages* pages = TRY(lib::TryNew<FilePages>(lib::move(file)));
  return lib::RefPtr<mm::MemoryObject>(lib::AdoptRef<mm::MemoryObject>(pages));
}

}  // namespace kernel::fs
