#include "kernel/elf/exec_file.h"

#include "kernel/lib/alloc.h"

namespace kernel::elf {

Result<lib::RefPtr<ExecFile>> MemoryExecFile::Create(const u8* data, usize size) {
  lib::RefPtr<mm::BufferObject> buffer = TRY(mm::BufferObject::Create(data, size));
  MemoryExecFile* f = TRY(lib::TryNew<MemoryExecFile>(lib::move(buffer)));
  return lib::RefPtr<ExecFile>(lib::AdoptRef<ExecFile>(f));
}

}  // namespace kernel::elf
