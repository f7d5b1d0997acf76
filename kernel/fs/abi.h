#pragma once
/// The Linux x86_64 file-system ABI: flag values, structure layouts and limits, as user space
/// sees them. Values are from the uapi headers (<asm-generic/fcntl.h>, <linux/stat.h>,
/// <linux/fcntl.h>, <asm/stat.h>, <linux/eventpoll.h>, <linux/mount.h>); layouts are checked
/// by static_asserts below against the sizes and offsets the x86_64 ABI gives them.
#include <cstddef>

#include "kernel/lib/types.h"

namespace kernel::fs {

// ---- limits [linux/limits.h] ----
inline constexpr usize kPathMax = 4096;  ///< bytes in a path, including the NUL
inline constexpr usize kNameMax = 255;   ///< bytes in one path component
inline constexpr int kMaxSymlinks = 40;  ///< symlinks followed in one resolution (ELOOP after)
inline constexpr usize kPipeBuf = 4096;  ///< writes up to this size are atomic on a pipe

// ---- open(2) flags [asm-generic/fcntl.h], octal as there ----
namespace o {
inline constexpr u32 kRdOnly = 00;
inline constexpr u32 kWrOnly = 01;
inline constexpr u32 kRdWr = 02;
inline constexpr u32 kAccMode = 03;
inline constexpr u32 kCreat = 0100;
inline constexpr u32 kExcl = 0200;
inline constexpr u32 kNoCtty = 0400;
inline constexpr u32 kTrunc = 01000;
inline constexpr u32 kAppend = 02000;
inline constexpr u32 kNonBlock = 04000;
inline constexpr u32 kDsync = 010000;
inline constexpr u32 kAsync = 020000;
inline constexpr u32 kDirect = 040000;
inline constexpr u32 kLargeFile = 0100000;
inline constexpr u32 kDirectory = 0200000;
inline constexpr u32 kNoFollow = 0400000;
inline constexpr u32 kNoAtime = 01000000;
inline constexpr u32 kCloexec = 02000000;
inline constexpr u32 kSync = 04000000 | kDsync;
inline constexpr u32 kPath = 010000000;
inline constexpr u32 kTmpFile = 020000000 | kDirectory;
/// Every flag open(2) knows; openat2 rejects the others with EINVAL.
inline constexpr u32 kValid = kAccMode | kCreat | kExcl | kNoCtty | kTrunc | kAppend | kNonBlock |
                              kDsync | kAsync | kDirect | kLargeFile | kDirectory | kNoFollow |
                              kNoAtime | kCloexec | kSync | kPath | kTmpFile;
/// The flags F_SETFL may change [man 2 fcntl].
inline constexpr u32 kSetFlMask = kAppend | kAsync | kDirect | kNoAtime | kNonBlock;
}  // namespace o

/// The fd flag FD_CLOEXEC (F_GETFD/F_SETFD); FdTable::Install takes it.
inline constexpr u32 kFdCloexec = 1;

// ---- *at(2) flags [linux/fcntl.h] ----
inline constexpr int kAtFdCwd = -100;
namespace at {
inline constexpr u32 kSymlinkNoFollow = 0x100;
inline constexpr u32 kEaccess = 0x200;  ///< faccessat: effective ids
inline constexpr u32 kRemoveDir = 0x200;
inline constexpr u32 kSymlinkFollow = 0x400;
inline constexpr u32 kNoAutomount = 0x800;
inline constexpr u32 kEmptyPath = 0x1000;
inline constexpr u32 kStatxSyncType = 0x6000;
inline constexpr u32 kRecursive = 0x8000;
}  // namespace at

// ---- renameat2(2) ----
inline constexpr u32 kRenameNoReplace = 1;
inline constexpr u32 kRenameExchange = 2;
inline constexpr u32 kRenameWhiteout = 4;

// ---- openat2(2) resolve flags [linux/openat2.h] ----
namespace resolve {
inline constexpr u64 kNoXdev = 0x01;
inline constexpr u64 kNoMagicLinks = 0x02;
inline constexpr u64 kNoSymlinks = 0x04;
inline constexpr u64 kBeneath = 0x08;
inline constexpr u64 kInRoot = 0x10;
inline constexpr u64 kCached = 0x20;
inline constexpr u64 kValid = 0x3f;
}  // namespace resolve
struct OpenHow {
  u64 flags;
  u64 mode;
  u64 resolve;
};
static_assert(sizeof(OpenHow) == 24);

// ---- file types and modes [linux/stat.h] ----
namespace mode {
inline constexpr u32 kTypeMask = 0170000;
inline constexpr u32 kSocket = 0140000;
inline constexpr u32 kSymlink = 0120000;
inline constexpr u32 kRegular = 0100000;
inline constexpr u32 kBlock = 0060000;
inline constexpr u32 kDirectory = 0040000;
inline constexpr u32 kChar = 0020000;
inline constexpr u32 kFifo = 0010000;
inline constexpr u32 kSetUid = 04000;
inline constexpr u32 kSetGid = 02000;
inline constexpr u32 kSticky = 01000;
inline constexpr u32 kPermMask = 07777;
}  // namespace mode
constexpr bool IsDir(u32 m) { return (m & mode::kTypeMask) == mode::kDirectory; }
constexpr bool IsReg(u32 m) { return (m & mode::kTypeMask) == mode::kRegular; }
constexpr bool IsLnk(u32 m) { return (m & mode::kTypeMask) == mode::kSymlink; }
constexpr bool IsChr(u32 m) { return (m & mode::kTypeMask) == mode::kChar; }
constexpr bool IsBlk(u32 m) { return (m & mode::kTypeMask) == mode::kBlock; }
constexpr bool IsFifo(u32 m) { return (m & mode::kTypeMask) == mode::kFifo; }
constexpr bool IsSock(u32 m) { return (m & mode::kTypeMask) == mode::kSocket; }

/// Device numbers as Linux encodes them in dev_t (new_encode_dev) and in cpio/mknod.
constexpr u64 MakeDev(u32 major, u32 minor) {
  return (u64{minor} & 0xff) | ((u64{major} & 0xfff) << 8) | ((u64{minor} & ~0xffull) << 12) |
         ((u64{major} & ~0xfffull) << 32);
}
constexpr u32 DevMajor(u64 dev) {
  return static_cast<u32>(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffull));
}
constexpr u32 DevMinor(u64 dev) {
  return static_cast<u32>((dev & 0xff) | ((dev >> 12) & ~0xffull));
}

// ---- access(2) ----
inline constexpr u32 kMayExec = 1;   ///< X_OK
inline constexpr u32 kMayWrite = 2;  ///< W_OK
inline constexpr u32 kMayRead = 4;   ///< R_OK

// ---- lseek(2) ----
inline constexpr int kSeekSet = 0;
inline constexpr int kSeekCur = 1;
inline constexpr int kSeekEnd = 2;
inline constexpr int kSeekData = 3;
inline constexpr int kSeekHole = 4;

// ---- directory entry types [linux/fs_types.h] ----
namespace dt {
inline constexpr u8 kUnknown = 0;
inline constexpr u8 kFifo = 1;
inline constexpr u8 kChar = 2;
inline constexpr u8 kDir = 4;
inline constexpr u8 kBlock = 6;
inline constexpr u8 kRegular = 8;
inline constexpr u8 kSymlink = 10;
inline constexpr u8 kSocket = 12;
}  // namespace dt
constexpr u8 DirentType(u32 m) { return static_cast<u8>((m & mode::kTypeMask) >> 12); }

/// struct timespec.
struct Timespec {
  i64 sec;
  i64 nsec;
};
static_assert(sizeof(Timespec) == 16);
inline constexpr i64 kUtimeNow = (1l << 30) - 1;   ///< UTIME_NOW
inline constexpr i64 kUtimeOmit = (1l << 30) - 2;  ///< UTIME_OMIT

/// struct stat as x86_64 lays it out [arch/x86/include/uapi/asm/stat.h].
struct Stat {
  u64 dev;
  u64 ino;
  u64 nlink;
  u32 mode;
  u32 uid;
  u32 gid;
  u32 pad0;
  u64 rdev;
  i64 size;
  i64 blksize;
  i64 blocks;
  Timespec atime;
  Timespec mtime;
  Timespec ctime;
  i64 unused[3];
};
static_assert(sizeof(Stat) == 144 && offsetof(Stat, rdev) == 40 && offsetof(Stat, atime) == 72);

/// struct statx [linux/stat.h].
struct StatxTimestamp {
  i64 sec;
  u32 nsec;
  i32 reserved;
};
struct Statx {
  u32 mask;
  u32 blksize;
  u64 attributes;
  u32 nlink;
  u32 uid;
  u32 gid;
  u16 mode;
  u16 spare0;
  u64 ino;
  u64 size;
  u64 blocks;
  u64 attributes_mask;
  StatxTimestamp atime;
  StatxTimestamp btime;
  StatxTimestamp ctime;
  StatxTimestamp mtime;
  u32 rdev_major;
  u32 rdev_minor;
  u32 dev_major;
  u32 dev_minor;
  u64 mnt_id;
  u32 dio_mem_align;
  u32 dio_offset_align;
  u64 spare3[12];
};
static_assert(sizeof(Statx) == 256 && offsetof(Statx, atime) == 64 &&
              offsetof(Statx, rdev_major) == 128 && offsetof(Statx, mnt_id) == 144);
namespace statx {
inline constexpr u32 kType = 0x1;
inline constexpr u32 kMode = 0x2;
inline constexpr u32 kNlink = 0x4;
inline constexpr u32 kUid = 0x8;
inline constexpr u32 kGid = 0x10;
inline constexpr u32 kAtime = 0x20;
inline constexpr u32 kMtime = 0x40;
inline constexpr u32 kCtime = 0x80;
inline constexpr u32 kIno = 0x100;
inline constexpr u32 kSize = 0x200;
inline constexpr u32 kBlocks = 0x400;
inline constexpr u32 kBasicStats = 0x7ff;
inline constexpr u32 kBtime = 0x800;
inline constexpr u32 kMntId = 0x1000;
inline constexpr u32 kReserved = 0x80000000u;
}  // namespace statx

/// struct statfs as x86_64 lays it out [asm-generic/statfs.h with 64-bit longs].
struct StatFs {
  i64 type;
  i64 bsize;
  u64 blocks;
  u64 bfree;
  u64 bavail;
  u64 files;
  u64 ffree;
  i32 fsid[2];
  i64 namelen;
  i64 frsize;
  i64 flags;
  i64 spare[4];
};
static_assert(sizeof(StatFs) == 120);
/// f_type magic numbers [linux/magic.h].
namespace magic {
inline constexpr i64 kTmpfs = 0x01021994;
inline constexpr i64 kProc = 0x9fa0;
inline constexpr i64 kSysfs = 0x62656572;
inline constexpr i64 kDevpts = 0x1cd1;
inline constexpr i64 kPipefs = 0x50495045;
inline constexpr i64 kAnonInode = 0x09041934;
}  // namespace magic
/// statfs f_flags (ST_*), which mirror the mount flags.
namespace st {
inline constexpr i64 kRdOnly = 0x0001;
inline constexpr i64 kNoSuid = 0x0002;
inline constexpr i64 kNoDev = 0x0004;
inline constexpr i64 kNoExec = 0x0008;
inline constexpr i64 kNoAtime = 0x0400;
inline constexpr i64 kNoDirAtime = 0x0800;
inline constexpr i64 kRelAtime = 0x1000;
inline constexpr i64 kValid = 0x0020;
}  // namespace st

/// struct linux_dirent64 header (the name follows, NUL-terminated, the record 8-aligned).
struct Dirent64 {
  u64 ino;
  i64 off;
  u16 reclen;
  u8 type;
  char name[1];
};
inline constexpr usize kDirent64NameOffset = 19;

// ---- fcntl(2) [asm-generic/fcntl.h, linux/fcntl.h] ----
namespace fcntl {
inline constexpr int kDupFd = 0;
inline constexpr int kGetFd = 1;
inline constexpr int kSetFd = 2;
inline constexpr int kGetFl = 3;
inline constexpr int kSetFl = 4;
inline constexpr int kGetLk = 5;
inline constexpr int kSetLk = 6;
inline constexpr int kSetLkW = 7;
inline constexpr int kSetOwn = 8;
inline constexpr int kGetOwn = 9;
inline constexpr int kSetSig = 10;
inline constexpr int kGetSig = 11;
inline constexpr int kSetOwnEx = 15;
inline constexpr int kGetOwnEx = 16;
inline constexpr int kOfdGetLk = 36;
inline constexpr int kOfdSetLk = 37;
inline constexpr int kOfdSetLkW = 38;
inline constexpr int kSetLease = 1024;
inline constexpr int kGetLease = 1025;
inline constexpr int kNotify = 1026;
inline constexpr int kDupFdCloexec = 1030;
inline constexpr int kSetPipeSz = 1031;
inline constexpr int kGetPipeSz = 1032;
inline constexpr int kAddSeals = 1033;
inline constexpr int kGetSeals = 1034;
}  // namespace fcntl
inline constexpr i16 kRdLck = 0;
inline constexpr i16 kWrLck = 1;
inline constexpr i16 kUnLck = 2;
/// struct flock.
struct Flock {
  i16 type;
  i16 whence;
  i64 start;
  i64 len;
  i32 pid;
};
static_assert(sizeof(Flock) == 32 && offsetof(Flock, start) == 8 && offsetof(Flock, pid) == 24);
/// flock(2) operations.
inline constexpr int kLockSh = 1;
inline constexpr int kLockEx = 2;
inline constexpr int kLockNb = 4;
/// The removed System V "mandatory" flock bit: Linux ignores such requests and returns 0.
inline constexpr int kLockMand = 32;
inline constexpr int kLockUn = 8;

// ---- ioctl(2) on any file [asm-generic/ioctls.h] ----
namespace ioctl {
inline constexpr u32 kTcGets = 0x5401;
inline constexpr u32 kFionread = 0x541B;
inline constexpr u32 kFionbio = 0x5421;
inline constexpr u32 kFionclex = 0x5450;
inline constexpr u32 kFioclex = 0x5451;
inline constexpr u32 kFioasync = 0x5452;
}  // namespace ioctl

// ---- poll(2) and epoll(7) events [asm-generic/poll.h, linux/eventpoll.h] ----
namespace ev {
inline constexpr u32 kIn = 0x001;
inline constexpr u32 kPri = 0x002;
inline constexpr u32 kOut = 0x004;
inline constexpr u32 kErr = 0x008;
inline constexpr u32 kHup = 0x010;
inline constexpr u32 kNval = 0x020;
inline constexpr u32 kRdNorm = 0x040;
inline constexpr u32 kRdBand = 0x080;
inline constexpr u32 kWrNorm = 0x100;
inline constexpr u32 kWrBand = 0x200;
inline constexpr u32 kMsg = 0x400;
inline constexpr u32 kRdHup = 0x2000;
inline constexpr u32 kExclusive = 1u << 28;
inline constexpr u32 kWakeUp = 1u << 29;
inline constexpr u32 kOneShot = 1u << 30;
inline constexpr u32 kEdge = 1u << 31;
/// Readable / writable as most files report them.
inline constexpr u32 kReadable = kIn | kRdNorm;
inline constexpr u32 kWritable = kOut | kWrNorm;
}  // namespace ev

// ---- mount(2) and umount2(2) [linux/mount.h] ----
namespace ms {
inline constexpr u64 kRdOnly = 1;
inline constexpr u64 kNoSuid = 2;
inline constexpr u64 kNoDev = 4;
inline constexpr u64 kNoExec = 8;
inline constexpr u64 kSynchronous = 16;
inline constexpr u64 kRemount = 32;
inline constexpr u64 kMandLock = 64;
inline constexpr u64 kDirSync = 128;
inline constexpr u64 kNoSymFollow = 256;
inline constexpr u64 kNoAtime = 1024;
inline constexpr u64 kNoDirAtime = 2048;
inline constexpr u64 kBind = 4096;
inline constexpr u64 kMove = 8192;
inline constexpr u64 kRec = 16384;
inline constexpr u64 kSilent = 32768;
inline constexpr u64 kUnbindable = 1 << 17;
inline constexpr u64 kPrivate = 1 << 18;
inline constexpr u64 kSlave = 1 << 19;
inline constexpr u64 kShared = 1 << 20;
inline constexpr u64 kRelAtime = 1 << 21;
inline constexpr u64 kStrictAtime = 1 << 24;
inline constexpr u64 kLazyTime = 1 << 25;
inline constexpr u64 kMgcMask = 0xffff0000;
inline constexpr u64 kMgcVal = 0xC0ED0000;
/// The per-mount flags (the rest belong to the superblock or to the operation).
inline constexpr u64 kPerMount = kRdOnly | kNoSuid | kNoDev | kNoExec | kNoAtime | kNoDirAtime |
                                 kRelAtime | kStrictAtime | kNoSymFollow;
}  // namespace ms
inline constexpr int kMntForce = 1;
inline constexpr int kMntDetach = 2;
inline constexpr int kMntExpire = 4;
inline constexpr int kUmountNoFollow = 8;

}  // namespace kernel::fs
