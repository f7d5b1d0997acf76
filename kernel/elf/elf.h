#pragma once
/// The ELF-64 structures and constants the loader reads [elf-gabi, System V ABI AMD64
/// supplement §5]. Field for field what <elf.h> calls Elf64_Ehdr and Elf64_Phdr.
#include "kernel/lib/types.h"

namespace kernel::elf {

inline constexpr u8 kMagic[4] = {0x7f, 'E', 'L', 'F'};
inline constexpr usize kIdentSize = 16;
inline constexpr u8 kClass64 = 2;    // EI_CLASS = ELFCLASS64
inline constexpr u8 kDataLsb = 1;    // EI_DATA = ELFDATA2LSB
inline constexpr u16 kTypeExec = 2;  // ET_EXEC
inline constexpr u16 kTypeDyn = 3;   // ET_DYN
inline constexpr u16 kMachineAmd64 = 62;

struct Ehdr {
  u8 ident[kIdentSize];
  u16 type;
  u16 machine;
  u32 version;
  u64 entry;
  u64 phoff;
  u64 shoff;
  u32 flags;
  u16 ehsize;
  u16 phentsize;
  u16 phnum;
  u16 shentsize;
  u16 shnum;
  u16 shstrndx;
};
static_assert(sizeof(Ehdr) == 64);

struct Phdr {
  u32 type;
  u32 flags;
  u64 offset;
  u64 vaddr;
  u64 paddr;
  u64 filesz;
  u64 memsz;
  u64 align;
};
static_assert(sizeof(Phdr) == 56);

namespace pt {
inline constexpr u32 kNull = 0, kLoad = 1, kDynamic = 2, kInterp = 3, kNote = 4, kPhdr = 6,
                     kTls = 7, kGnuStack = 0x6474e551, kGnuRelro = 0x6474e552,
                     kGnuProperty = 0x6474e553;
}  // namespace pt

namespace pf {
inline constexpr u32 kX = 1, kW = 2, kR = 4;
}  // namespace pf

/// Auxiliary-vector keys [linux include/uapi/linux/auxvec.h, arch/x86/include/uapi/asm/auxvec.h].
namespace at {
inline constexpr u64 kNull = 0, kPhdr = 3, kPhent = 4, kPhnum = 5, kPagesz = 6, kBase = 7,
                     kFlags = 8, kEntry = 9, kUid = 11, kEuid = 12, kGid = 13, kEgid = 14,
                     kPlatform = 15, kHwcap = 16, kClktck = 17, kSecure = 23, kRandom = 25,
                     kHwcap2 = 26, kExecfn = 31, kSysinfoEhdr = 33, kMinsigstksz = 51;
}  // namespace at

}  // namespace kernel::elf
