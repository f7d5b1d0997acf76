// ksyms: embeds the kernel's function symbols into its own .ksyms section, in place.
//   ksyms IMAGE.elf
// Reads the ELF symbol table with libelf, keeps functions (and assembly labels) in .text,
// demangles them, sorts by address and writes the table described in kernel/debug/symbols.h
// over the zero-filled .ksyms section (same size, so no address in the image moves).
#include <cxxabi.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "kernel/debug/symbols.h"

namespace {

struct Sym {
  uint64_t address;
  uint32_t size;
  bool is_func;
  std::string name;
};

[[noreturn]] void Die(const std::string& msg) {
  std::fprintf(stderr, "ksyms: %s\n", msg.c_str());
  std::exit(1);
}

std::string Demangle(const char* name) {
  int status = 0;
  char* d = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  if (status != 0 || d == nullptr) return name;
  std::string s = d;
  std::free(d);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) Die("usage: ksyms IMAGE.elf");
  if (elf_version(EV_CURRENT) == EV_NONE) Die("libelf is too old");
  int fd = open(argv[1], O_RDWR);
  if (fd < 0) Die(std::string("cannot open ") + argv[1]);
  Elf* elf = elf_begin(fd, ELF_C_READ, nullptr);
  if (elf == nullptr) Die(std::string("not an ELF file: ") + elf_errmsg(-1));
  size_t shstrndx = 0;
  if (elf_getshdrstrndx(elf, &shstrndx) != 0) Die("no section names");

  GElf_Shdr text{}, ksyms{};
  bool have_text = false, have_ksyms = false;
  size_t text_index = 0;
  std::vector<Sym> syms;
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr sh;
    gelf_getshdr(scn, &sh);
    const char* name = elf_strptr(elf, shstrndx, sh.sh_name);
    if (name == nullptr) continue;
    if (std::strcmp(name, ".text") == 0) {
      text = sh;
      text_index = elf_ndxscn(scn);
      have_text = true;
    } else if (std::strcmp(name, ".ksyms") == 0) {
      ksyms = sh;
      have_ksyms = true;
    }
  }
  if (!have_text) Die("no .text section");
  if (!have_ksyms) Die("no .ksyms section (hal/x86_64/debug/ksyms_reserve.S)");

  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr sh;
    gelf_getshdr(scn, &sh);
    if (sh.sh_type != SHT_SYMTAB) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    size_t count = sh.sh_size / sh.sh_entsize;
    for (size_t i = 0; i < count; ++i) {
      GElf_Sym s;
      gelf_getsym(data, static_cast<int>(i), &s);
      int type = GELF_ST_TYPE(s.st_info);
      if (type != STT_FUNC && type != STT_NOTYPE) continue;
      if (s.st_shndx != text_index) continue;
      const char* name = elf_strptr(elf, sh.sh_link, s.st_name);
      if (name == nullptr || name[0] == '\0' || name[0] == '.') continue;
      std::string dn = Demangle(name);
      if (dn.size() > 200) dn = dn.substr(0, 197) + "...";
      syms.push_back({s.st_value, static_cast<uint32_t>(s.st_size), type == STT_FUNC, dn});
    }
  }
  // Sort by address; at one address prefer a sized function over a label.
  std::sort(syms.begin(), syms.end(), [](const Sym& a, const Sym& b) {
    if (a.address != b.address) return a.address < b.address;
    return a.is_func > b.is_func;
  });
  syms.erase(std::unique(syms.begin(), syms.end(),
                         [](const Sym& a, const Sym& b) { return a.address == b.address; }),
             syms.end());

  using kernel::debug::KsymsEntry;
  using kernel::debug::KsymsHeader;
  std::vector<uint8_t> names;
  std::vector<KsymsEntry> entries;
  for (const Sym& s : syms) {
    entries.push_back({s.address, s.size, static_cast<uint32_t>(names.size())});
    names.insert(names.end(), s.name.begin(), s.name.end());
    names.push_back(0);
  }
  KsymsHeader h{};
  h.magic = kernel::debug::kKsymsMagic;
  h.count = static_cast<uint32_t>(entries.size());
  h.names_offset = static_cast<uint32_t>(sizeof(KsymsHeader) + entries.size() * sizeof(KsymsEntry));
  h.total_size = static_cast<uint32_t>(h.names_offset + names.size());
  if (ksyms.sh_type == SHT_NOBITS) Die(".ksyms must be PROGBITS");
  if (h.total_size > ksyms.sh_size) {
    Die("the symbol table needs " + std::to_string(h.total_size) + " bytes but .ksyms has " +
        std::to_string(ksyms.sh_size) + ": raise KSYMS_SIZE in hal/x86_64/debug/ksyms_reserve.S");
  }
  std::vector<uint8_t> blob(ksyms.sh_size, 0);
  std::memcpy(blob.data(), &h, sizeof(h));
  std::memcpy(blob.data() + sizeof(h), entries.data(), entries.size() * sizeof(KsymsEntry));
  std::memcpy(blob.data() + h.names_offset, names.data(), names.size());
  elf_end(elf);
  if (pwrite(fd, blob.data(), blob.size(), static_cast<off_t>(ksyms.sh_offset)) !=
      static_cast<ssize_t>(blob.size())) {
    Die("write failed");
  }
  close(fd);
  std::printf("ksyms: %u symbols, %u of %lu bytes\n", h.count, h.total_size,
              static_cast<unsigned long>(ksyms.sh_size));
  return 0;
}
