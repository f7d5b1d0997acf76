#include "tests/proc/elf_builder.h"

#include <cstring>

namespace proc_test {

BuiltElf BuildElf(const ElfSpec& spec) {
  const int phnum = 3 + (spec.interp.empty() ? 0 : 1);
  const uint64_t phoff = sizeof(Elf64_Ehdr);
  const uint64_t headers = phoff + phnum * sizeof(Elf64_Phdr);
  // Layout: page 0 = headers + text (the text segment maps from offset 0, so AT_PHDR lies in
  // it), then the interpreter path, then the data at a page boundary plus 0x123 so that the
  // data segment starts mid-page.
  const uint64_t text_off = 0x100 > headers ? 0x100 : headers;
  const uint64_t interp_off = text_off + spec.text_size;
  const uint64_t data_off = ((interp_off + spec.interp.size() + 1 + 0xfff) & ~0xfffull) + 0x123;
  BuiltElf out;
  out.bytes.assign(data_off + spec.data_size, 0);
  out.text_vaddr = spec.base + text_off;
  out.data_vaddr = spec.base + 0x10000 + data_off;  // a gap between the segments
  out.entry = out.text_vaddr;
  out.data_offset = data_off;
  out.phoff = phoff;

  Elf64_Ehdr& h = *reinterpret_cast<Elf64_Ehdr*>(out.bytes.data());
  std::memcpy(h.e_ident, ELFMAG, SELFMAG);
  h.e_ident[EI_CLASS] = ELFCLASS64;
  h.e_ident[EI_DATA] = ELFDATA2LSB;
  h.e_ident[EI_VERSION] = EV_CURRENT;
  h.e_type = spec.type;
  h.e_machine = EM_X86_64;
  h.e_version = EV_CURRENT;
  h.e_entry = out.entry;
  h.e_phoff = phoff;
  h.e_ehsize = sizeof(Elf64_Ehdr);
  h.e_phentsize = sizeof(Elf64_Phdr);
  h.e_phnum = static_cast<uint16_t>(phnum);

  auto* ph = reinterpret_cast<Elf64_Phdr*>(out.bytes.data() + phoff);
  int i = 0;
  if (!spec.interp.empty()) {
    ph[i++] = Elf64_Phdr{PT_INTERP,
                         PF_R,
                         interp_off,
                         spec.base + interp_off,
                         0,
                         spec.interp.size() + 1,
                         spec.interp.size() + 1,
                         1};
    std::memcpy(out.bytes.data() + interp_off, spec.interp.c_str(), spec.interp.size() + 1);
  }
  ph[i++] = Elf64_Phdr{
      PT_LOAD, PF_R | PF_X, 0, spec.base, 0, text_off + spec.text_size, text_off + spec.text_size,
      0x1000};
  ph[i++] = Elf64_Phdr{PT_LOAD,
                       PF_R | PF_W,
                       data_off,
                       out.data_vaddr,
                       0,
                       spec.data_size,
                       spec.data_size + spec.bss_size,
                       0x1000};
  ph[i++] = Elf64_Phdr{PT_GNU_STACK,
                       static_cast<Elf64_Word>(PF_R | PF_W | (spec.exec_stack ? PF_X : 0)),
                       0,
                       0,
                       0,
                       0,
                       0,
                       16};
  for (uint64_t k = 0; k < spec.text_size; ++k) out.bytes[text_off + k] = TextByte(k);
  // The entry point exits with status 42 (mov $60,%eax; mov $42,%edi; syscall), so that a
  // native run of a loadable image ends cleanly.
  std::memcpy(out.bytes.data() + text_off, kExit42, sizeof(kExit42));
  for (uint64_t k = 0; k < spec.data_size; ++k) out.bytes[data_off + k] = DataByte(k);
  return out;
}

}  // namespace proc_test
