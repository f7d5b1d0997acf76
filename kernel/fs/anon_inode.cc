#include "kernel/fs/anon_inode.h"

#include "kernel/fs/dentry.h"
#include "kernel/lib/alloc.h"

namespace kernel::fs {
namespace {

class AnonSuperBlock final : public SuperBlock {
 public:
  explicit AnonSuperBlock(const FileSystemType& type) : SuperBlock(type, magic::kPipefs, 0) {}
};

Result<lib::RefPtr<Dentry>> NoMount(const FileSystemType&, const MountArgs&) {
  return Errno::kEINVAL;
}
const FileSystemType kAnonType{"pipefs", false, &NoMount};

// The one instance lives in static storage and is never released, so making the first pipe
// allocates nothing that outlives the pipe (the leak checks in tests rely on that).
SuperBlock& AnonSb() {
  alignas(AnonSuperBlock) static u8 storage[sizeof(AnonSuperBlock)];
  static AnonSuperBlock* sb = nullptr;
  if (sb == nullptr) {
    sb = new (storage) AnonSuperBlock(kAnonType);
    (void)lib::AdoptRef<SuperBlock>(sb).leak_ref();
  }
  return *sb;
}

}  // namespace

Result<lib::RefPtr<Inode>> CreateAnonInode(u32 mode, u32 uid, u32 gid) {
  SuperBlock& sb = AnonSb();
  Inode* inode = TRY(lib::TryNew<AnonInode>(sb, sb.AllocateIno(), mode, uid, gid));
  return lib::AdoptRef(inode);
}

}  // namespace kernel::fs
