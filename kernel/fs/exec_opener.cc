#include "kernel/fs/exec_opener.h"

#include "kernel/fs/abi.h"
#include "kernel/fs/file_pages.h"
#include "kernel/fs/open.h"
#include "kernel/lib/alloc.h"
#include "kernel/proc/exec.h"

namespace kernel::fs {
namespace {

class VfsExecFile final : public elf::ExecFile {
 public:
  VfsExecFile(lib::RefPtr<File> file, lib::RefPtr<mm::MemoryObject> pages)
      : file_(lib::move(file)), pages_(lib::move(pages)) {}
  Result<usize> ReadAt(void* buf, usize n, u64 offset) override {
    // File::ReadAt may return short counts for files that read in pieces: loop to the end.
    usize done = 0;
    while (done < n) {
      usize got = TRY(file_->ReadAt(static_cast<u8*>(buf) + done, n - done, offset + done));
      if (got == 0) break;
      done += got;
    }
    return done;
  }
  lib::RefPtr<mm::MemoryObject> pages() override { return pages_; }
  File* vfs_file() override { return file_.get(); }

 private:
  lib::RefPtr<File> file_;
  lib::RefPtr<mm::MemoryObject> pages_;
};

class VfsExecOpener final : public elf::ExecOpener {
 public:
  Result<lib::RefPtr<elf::ExecFile>> Open(proc::Task& task, lib::string_view path) override {
    // Interpreter paths and execve's filename are resolved from the cwd, following symlinks.
    lib::RefPtr<File> file = TRY(OpenExec(Actor::Of(task), kAtFdCwd, path, 0));
    return MakeExecFile(lib::move(file));
  }
};

VfsExecOpener g_opener;

}  // namespace

Result<lib::RefPtr<elf::ExecFile>> MakeExecFile(lib::RefPtr<File> file) {
  lib::RefPtr<mm::MemoryObject> pages = TRY(FilePages::Create(file));
  VfsExecFile* f = TRY(lib::TryNew<VfsExecFile>(lib::move(file), lib::move(pages)));
  return lib::RefPtr<elf::ExecFile>(lib::AdoptRef<elf::ExecFile>(f));
}

void InstallExecOpener() { proc::SetExecOpener(&g_opener); }

}  // namespace kernel::fs
