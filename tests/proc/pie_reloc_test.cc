// The PIE relocation regression in sim (issue #5): tests/proc/progs/pie_reloc.c, a static PIE
// whose one relocated data pointer lives on a page of its own, loaded by the real execve.
// The test plays the program's start code (it applies the R_X86_64_RELATIVE relocations and
// write-protects PT_GNU_RELRO, as a dynamic loader does, which splits the data VMA); then the
// parent forks without touching the pointer's page or the message's page again, and the child
// dereferences the pointer. The same file also runs on the host's Linux, which must agree.
#include <elf.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <cstring>
#include <map>
#include <optional>
#include <string>

#include "kernel/mm/address_space.h"
#include "kernel/mm/page_alloc.h"
#include "sim/files.h"
#include "sim/machine.h"
#include "tests/proc/native.h"

namespace proc_test {
namespace {

constexpr char kMessage[] = "relocated pointer ok";
const std::string kProgram = std::string(ARAMID_GUEST_DIR) + "/aramid/bin/pie-reloc";

// What the test needs to know about the image, read from its headers.
struct PieInfo {
  uint64_t entry = 0;
  std::vector<Elf64_Rela> relocations;
  uint64_t relro_start = 0, relro_end = 0;
  std::map<std::string, uint64_t> symbols;
};

template <typename T>
const T* At(const std::vector<uint8_t>& b, uint64_t off) {
  return off + sizeof(T) <= b.size() ? reinterpret_cast<const T*>(b.data() + off) : nullptr;
}

// File offset of a virtual address inside a PT_LOAD segment.
std::optional<uint64_t> OffsetOf(const std::vector<uint8_t>& b, uint64_t vaddr) {
  const auto* h = At<Elf64_Ehdr>(b, 0);
  for (int i = 0; i < h->e_phnum; ++i) {
    const auto* p = At<Elf64_Phdr>(b, h->e_phoff + i * sizeof(Elf64_Phdr));
    if (p->p_type == PT_LOAD && vaddr >= p->p_vaddr && vaddr < p->p_vaddr + p->p_filesz) {
      return p->p_offset + (vaddr - p->p_vaddr);
    }
  }
  return std::nullopt;
}

std::optional<PieInfo> Inspect(const std::vector<uint8_t>& b, std::string* why) {
  PieInfo info;
  const auto* h = At<Elf64_Ehdr>(b, 0);
  if (h == nullptr || h->e_type != ET_DYN) return *why = "not an ET_DYN ELF", std::nullopt;
  info.entry = h->e_entry;
  uint64_t rela = 0, relasz = 0;
  for (int i = 0; i < h->e_phnum; ++i) {
    const auto* p = At<Elf64_Phdr>(b, h->e_phoff + i * sizeof(Elf64_Phdr));
    if (p->p_type == PT_INTERP) return *why = "has PT_INTERP: not a static PIE", std::nullopt;
    if (p->p_type == PT_GNU_RELRO) {
      info.relro_start = p->p_vaddr;
      info.relro_end = p->p_vaddr + p->p_memsz;
    }
    if (p->p_type != PT_DYNAMIC) continue;
    for (uint64_t off = p->p_offset; off < p->p_offset + p->p_filesz; off += sizeof(Elf64_Dyn)) {
      const auto* d = At<Elf64_Dyn>(b, off);
      if (d == nullptr || d->d_tag == DT_NULL) break;
      if (d->d_tag == DT_RELA) rela = d->d_un.d_ptr;
      if (d->d_tag == DT_RELASZ) relasz = d->d_un.d_val;
    }
  }
  if (rela != 0) {
    auto off = OffsetOf(b, rela);
    if (!off) return *why = "DT_RELA outside the file", std::nullopt;
    for (uint64_t i = 0; i < relasz / sizeof(Elf64_Rela); ++i) {
      info.relocations.push_back(*At<Elf64_Rela>(b, *off + i * sizeof(Elf64_Rela)));
    }
  }
  // Symbols from .symtab (the guest programs are built with -g and not stripped).
  for (int i = 0; i < h->e_shnum; ++i) {
    const auto* s = At<Elf64_Shdr>(b, h->e_shoff + i * sizeof(Elf64_Shdr));
    if (s == nullptr || s->sh_type != SHT_SYMTAB) continue;
    const auto* strtab = At<Elf64_Shdr>(b, h->e_shoff + s->sh_link * sizeof(Elf64_Shdr));
    for (uint64_t off = s->sh_offset; off < s->sh_offset + s->sh_size; off += sizeof(Elf64_Sym)) {
      const auto* sym = At<Elf64_Sym>(b, off);
      const char* name = reinterpret_cast<const char*>(b.data() + strtab->sh_offset + sym->st_name);
      if (*name != 0) info.symbols[name] = sym->st_value;
    }
  }
  return info;
}

class PieRelocTest : public testing::Test {
 protected:
  void SetUp() override {
    free_pages_ = kernel::mm::GetPhysStats().free_pages;
    auto bytes = sim::ReadHostFile(kProgram);
    ASSERT_TRUE(bytes.has_value()) << kProgram
                                   << " is missing: build the guest program (target "
                                      "guest_pie-reloc, part of `ninja` / guest_programs)";
    bytes_ = std::move(*bytes);
    std::string why;
    auto info = Inspect(bytes_, &why);
    ASSERT_TRUE(info.has_value()) << kProgram << ": " << why;
    info_ = std::move(*info);
    ASSERT_EQ(info_.symbols.count("reloc_ptr"), 1u);
    ASSERT_EQ(info_.symbols.count("reloc_message"), 1u);
  }
  void TearDown() override {
    machine_.reset();
    EXPECT_EQ(kernel::mm::GetPhysStats().free_pages, free_pages_) << "pages leaked";
  }
  sim::Machine& m() { return *machine_; }

  bool Present(sim::Pid pid, uint64_t va) {
    kernel::mm::AddressSpace* as = m().TaskOf(pid)->address_space();
    return hal::Mmu::Query(as->root(), va & ~0xfffull).ok();
  }

  size_t free_pages_ = 0;
  std::vector<uint8_t> bytes_;
  PieInfo info_;
  std::unique_ptr<sim::Machine> machine_ = std::make_unique<sim::Machine>();
};

TEST_F(PieRelocTest, TheChildDereferencesAPointerRelocatedBeforeFork) {
  m().files().Add("/bin/pie-reloc", bytes_);
  sim::Pid init = m().Spawn("init");
  ASSERT_EQ(m().Execve(init, "/bin/pie-reloc", {"pie-reloc"}).value, 0);
  const uint64_t bias = m().TaskOf(init)->user_context().regs.rip - info_.entry;
  ASSERT_NE(bias, 0u);
  ASSERT_EQ(bias & 0xfff, 0u);
  const uint64_t ptr = bias + info_.symbols["reloc_ptr"];
  const uint64_t message = bias + info_.symbols["reloc_message"];

  // The start code: every relocation of a static PIE is relative.
  bool relocated_ptr = false;
  for (const Elf64_Rela& r : info_.relocations) {
    ASSERT_EQ(ELF64_R_TYPE(r.r_info), static_cast<unsigned>(R_X86_64_RELATIVE))
        << "unexpected relocation type at " << std::hex << r.r_offset;
    uint64_t value = bias + static_cast<uint64_t>(r.r_addend);
    ASSERT_TRUE(m().Store(init, bias + r.r_offset, &value, 8).done());
    if (bias + r.r_offset == ptr) relocated_ptr = true;
  }
  ASSERT_TRUE(relocated_ptr) << "reloc_ptr has no relocation: the regression needs one";
  if (info_.relro_end > info_.relro_start) {
    uint64_t start = (bias + info_.relro_start) & ~0xfffull;
    uint64_t end = (bias + info_.relro_end) & ~0xfffull;  // ld.so rounds the end down
    if (end > start) {
      ASSERT_EQ(m().Syscall(init, SYS_mprotect, start, end - start, PROT_READ).value, 0);
    }
  }
  // The situation the regression needs: the pointer's page holds the relocated value in the
  // parent (writable segments are populated at execve), and the message's read-only page has
  // never been touched at all.
  ASSERT_TRUE(Present(init, ptr));
  ASSERT_FALSE(Present(init, message)) << "the parent touched the message's page";

  sim::Pid child = static_cast<sim::Pid>(m().Syscall(init, SYS_fork).value);
  ASSERT_GT(child, 0);
  sim::Outcome p = m().Load(child, ptr, 8);
  ASSERT_TRUE(p.done());
  uint64_t value;
  std::memcpy(&value, p.bytes.data(), 8);
  ASSERT_EQ(value, message) << "the child read the unrelocated file bytes " << std::hex << value;
  sim::Outcome text = m().Load(child, value, sizeof(kMessage));
  ASSERT_TRUE(text.done());
  EXPECT_STREQ(reinterpret_cast<const char*>(text.bytes.data()), kMessage);
  // The parent still has its own copy, and the child's writes stay the child's.
  uint64_t junk = 0x4141414141414141;
  ASSERT_TRUE(m().Store(child, ptr, &junk, 8).done());
  p = m().Load(init, ptr, 8);
  std::memcpy(&value, p.bytes.data(), 8);
  EXPECT_EQ(value, message);
  m().Syscall(child, SYS_exit_group, 0);
  EXPECT_EQ(m().Syscall(init, SYS_wait4, child, 0, 0, 0).value, child);
}

TEST_F(PieRelocTest, LinuxRunsTheSameProgramToSuccess) {
  NativeResult r = RunNative(kProgram, {"pie-reloc"});
  ASSERT_FALSE(r.exec_failed) << r.Describe();
  EXPECT_TRUE(WIFEXITED(r.wait_status) && WEXITSTATUS(r.wait_status) == 0) << r.Describe();
}

}  // namespace
}  // namespace proc_test
