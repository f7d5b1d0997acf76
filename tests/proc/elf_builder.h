// Builds small x86_64 ELF executables in memory for the loader tests: two PT_LOAD segments
// (text at 0x400000, data+BSS after it) whose bytes follow a known pattern, so that a test can
// predict every byte of the loaded image and corrupt any header field it likes. Host code.
#pragma once
#include <elf.h>

#include <cstdint>
#include <string>
#include <vector>

namespace proc_test {

struct ElfSpec {
  uint16_t type = ET_EXEC;
  uint64_t base = 0x400000;     // p_vaddr of the text segment (0 for ET_DYN)
  uint64_t text_size = 0x800;   // bytes of code: exit(42), then the pattern
  uint64_t data_size = 0x1840;  // file bytes of the data segment (pattern 'D' + i)
  uint64_t bss_size = 0x2000;   // zero bytes after the data
  std::string interp;           // PT_INTERP path, if any
  bool exec_stack = false;      // PT_GNU_STACK flags include PF_X
};

struct BuiltElf {
  std::vector<uint8_t> bytes;
  uint64_t text_vaddr, data_vaddr, entry;
  uint64_t data_offset;  // file offset of the data segment
  uint64_t phoff;
};

BuiltElf BuildElf(const ElfSpec& spec);

/// The first bytes of the text: exit(42).
inline constexpr uint8_t kExit42[12] = {0xb8, 0x3c, 0, 0, 0, 0xbf, 0x2a, 0, 0, 0, 0x0f, 0x05};

/// The byte the pattern puts at offset i of the text / data segment.
inline uint8_t TextByte(uint64_t i) { return static_cast<uint8_t>('T' + i * 7); }
inline uint8_t DataByte(uint64_t i) { return static_cast<uint8_t>('D' + i * 13); }

/// Header access for corrupting tests.
inline Elf64_Ehdr* Header(std::vector<uint8_t>& b) {
  return reinterpret_cast<Elf64_Ehdr*>(b.data());
}
inline Elf64_Phdr* Phdrs(std::vector<uint8_t>& b) {
  return reinterpret_cast<Elf64_Phdr*>(b.data() + Header(b)->e_phoff);
}

}  // namespace proc_test
