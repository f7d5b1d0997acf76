#pragma once
/// devpts: the file system on /dev/pts that names the slaves of the live pseudo-terminals
/// [man 4 pts; linux fs/devpts/inode.c]. It lists "ptmx" and one character device N (136:N)
/// per pair whose master is open; a node appears when /dev/ptmx is opened and disappears when
/// the master is closed. Slaves belong to whoever opened the master (mode 0600 by default).
///
/// Mount options (as Linux): uid=, gid= (the owners of new slaves; gid=5 is the usual "tty"
/// group), mode= (their permissions, default 0600), ptmxmode= (of the ptmx node, default 0),
/// newinstance and max= (accepted; every instance shows the same pairs here).
#include "kernel/fs/super_block.h"

namespace kernel::fs::devpts {

extern const FileSystemType kDevptsType;

/// /dev/ptmx made pair `index` for a caller with these fs ids (the slave's owner).
void OnPtyCreated(u32 index, u32 uid, u32 gid);
/// The master of pair `index` is being closed.
void OnPtyReleased(u32 index);

}  // namespace kernel::fs::devpts
