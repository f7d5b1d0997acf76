// The vDSO image's symbol table as libcs look it up (musl's __vdsosym: DT_HASH, DT_SYMTAB,
// DT_STRTAB, DT_VERSYM, DT_VERDEF), and its mapping at execve.
#include "kernel/vdso/vdso.h"

#include <elf.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include <hal/cpu.h>

#include "kernel/fs/procfs/internal.h"
#include "kernel/mm/vma.h"
#include "kernel/proc/process.h"

namespace kernel::vdso {
namespace {

class VdsoImage : public testing::Test {
 protected:
  void SetUp() override {
    image_ = Image();
    ASSERT_GE(image_.size(), sizeof(Elf64_Ehdr));
    eh_ = reinterpret_cast<const Elf64_Ehdr*>(image_.data());
    ph_ = reinterpret_cast<const Elf64_Phdr*>(image_.data() + eh_->e_phoff);
    for (int i = 0; i < eh_->e_phnum; ++i) {
      if (ph_[i].p_type == PT_DYNAMIC)
        dyn_ = reinterpret_cast<const Elf64_Dyn*>(image_.data() + ph_[i].p_offset);
    }
    ASSERT_NE(dyn_, nullptr) << "no PT_DYNAMIC";
  }
  // The image is linked at 0 and lies in one segment, so addresses are file offsets.
  template <typename T>
  const T* At(u64 addr) const {
    return reinterpret_cast<const T*>(image_.data() + addr);
  }
  u64 Dyn(i64 tag) const {
    for (const Elf64_Dyn* d = dyn_; d->d_tag != DT_NULL; ++d)
      if (d->d_tag == tag) return d->d_un.d_val;
    return 0;
  }
  bool HasDyn(i64 tag) const {
    for (const Elf64_Dyn* d = dyn_; d->d_tag != DT_NULL; ++d)
      if (d->d_tag == tag) return true;
    return false;
  }
  // Looks `name` up as musl does: every symbol of DT_HASH's chain count, defined, global or
  // weak, a function, with the named version. Returns its value, or 0.
  u64 Lookup(const std::string& name, const std::string& version) const {
    const u32* hash = At<u32>(Dyn(DT_HASH));
    const auto* syms = At<Elf64_Sym>(Dyn(DT_SYMTAB));
    const char* strings = At<char>(Dyn(DT_STRTAB));
    const auto* versym = At<u16>(Dyn(DT_VERSYM));
    const u32 nsym = hash[1];
    for (u32 i = 0; i < nsym; ++i) {
      const Elf64_Sym& s = syms[i];
      const int bind = ELF64_ST_BIND(s.st_info), type = ELF64_ST_TYPE(s.st_info);
      if (s.st_shndx == SHN_UNDEF || type != STT_FUNC) continue;
      if (bind != STB_GLOBAL && bind != STB_WEAK) continue;
      if (name != strings + s.st_name) continue;
      if (VersionName(versym[i] & 0x7fff) != version) continue;
      return s.st_value;
    }
    return 0;
  }
  std::string VersionName(u16 index) const {
    const char* strings = At<char>(Dyn(DT_STRTAB));
    u64 off = Dyn(DT_VERDEF);
    for (;;) {
      const auto* vd = At<Elf64_Verdef>(off);
      if (vd->vd_ndx == index && !(vd->vd_flags & VER_FLG_BASE)) {
        const auto* aux = At<Elf64_Verdaux>(off + vd->vd_aux);
        return strings + aux->vda_name;
      }
      if (vd->vd_next == 0) return "";
      off += vd->vd_next;
    }
  }

  lib::span<const u8> image_;
  const Elf64_Ehdr* eh_ = nullptr;
  const Elf64_Phdr* ph_ = nullptr;
  const Elf64_Dyn* dyn_ = nullptr;
};

TEST_F(VdsoImage, IsAnX86_64SharedObjectInOneReadExecSegment) {
  EXPECT_EQ(std::memcmp(eh_->e_ident, ELFMAG, SELFMAG), 0);
  EXPECT_EQ(eh_->e_ident[EI_CLASS], ELFCLASS64);
  EXPECT_EQ(eh_->e_type, ET_DYN);
  EXPECT_EQ(eh_->e_machine, EM_X86_64);
  int loads = 0;
  for (int i = 0; i < eh_->e_phnum; ++i) {
    if (ph_[i].p_type != PT_LOAD) continue;
    ++loads;
    EXPECT_EQ(ph_[i].p_vaddr, 0u);
    EXPECT_EQ(ph_[i].p_offset, 0u);
    EXPECT_EQ(ph_[i].p_flags, u32{PF_R | PF_X}) << "no writable data";
    EXPECT_EQ(ph_[i].p_filesz, ph_[i].p_memsz) << "no bss";
    EXPECT_LE(ph_[i].p_filesz, image_.size());
  }
  EXPECT_EQ(loads, 1);
}

TEST_F(VdsoImage, HasNoRelocations) {
  // Nobody relocates the vDSO: it must run wherever it is mapped.
  for (i64 tag : {DT_REL, DT_RELA, DT_JMPREL, DT_TEXTREL, DT_RELR, DT_NEEDED})
    EXPECT_FALSE(HasDyn(tag)) << "dynamic tag " << tag;
}

TEST_F(VdsoImage, SonameIsLinuxVdso) {
  ASSERT_TRUE(HasDyn(DT_SONAME));
  EXPECT_STREQ(At<char>(Dyn(DT_STRTAB) + Dyn(DT_SONAME)), "linux-vdso.so.1");
  EXPECT_TRUE(HasDyn(DT_HASH)) << "musl finds the symbol count through DT_HASH";
  EXPECT_TRUE(HasDyn(DT_GNU_HASH)) << "glibc prefers DT_GNU_HASH";
}

TEST_F(VdsoImage, ExportsTheLinuxNamesWithVersionLinux26) {
  u64 text_end = 0;
  for (int i = 0; i < eh_->e_phnum; ++i)
    if (ph_[i].p_type == PT_LOAD) text_end = ph_[i].p_memsz;
  for (const char* name : {"clock_gettime", "gettimeofday", "time", "getcpu", "clock_getres"}) {
    const u64 prefixed = Lookup(std::string("__vdso_") + name, "LINUX_2.6");
    EXPECT_NE(prefixed, 0u) << "__vdso_" << name;
    EXPECT_LT(prefixed, text_end);
    EXPECT_EQ(Lookup(name, "LINUX_2.6"), prefixed) << name << " is an alias of __vdso_" << name;
  }
  EXPECT_EQ(Lookup("__vdso_clock_gettime", "LINUX_2.5"), 0u) << "versions are checked";
  EXPECT_EQ(Lookup("__vdso_nonexistent", "LINUX_2.6"), 0u);
}

TEST(VdsoMapping, VvarBelowVdsoWithTheirFlags) {
  lib::RefPtr<mm::AddressSpace> as = mm::AddressSpace::Create().value();
  const u64 base = MapVdso(*as).value();
  EXPECT_EQ(base % kPageSize, 0u);
  const mm::Vma* text = as->FindVma(base);
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text->start(), base);
  EXPECT_EQ(text->size(), (Image().size() + kPageSize - 1) / kPageSize * kPageSize);
  EXPECT_EQ(text->prot, mm::prot::kRead | mm::prot::kExec);
  EXPECT_TRUE(text->flags & mm::vma_flags::kVdso);
  const mm::Vma* data = as->FindVma(base - kPageSize);
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->end(), base);
  EXPECT_EQ(data->prot, mm::prot::kRead);
  EXPECT_TRUE(data->flags & mm::vma_flags::kVvar);
  EXPECT_FALSE(data->flags & mm::vma_flags::kVdso);
  // Both are readable from user mode: the pages fault in from the shared object.
  EXPECT_TRUE(as->HandleFault(base, hal::pf::kUser).ok());
  EXPECT_TRUE(as->HandleFault(base - kPageSize, hal::pf::kUser).ok());
  // A second address space shares the same object.
  lib::RefPtr<mm::AddressSpace> other = mm::AddressSpace::Create().value();
  const u64 base2 = MapVdso(*other).value();
  EXPECT_EQ(other->FindVma(base2)->object.get(), text->object.get());
  // Writes are refused by the protection (a debugger's would copy the page).
  EXPECT_TRUE(as->HandleFault(base, hal::pf::kWrite | hal::pf::kUser).is_error());
}

// /proc/<pid>/maps names the two mappings as Linux does [man 5 proc].
u64 text_size(const mm::AddressSpace& as, u64 base) { return as.FindVma(base)->size(); }

TEST(VdsoMapping, ProcMapsNamesThem) {
  proc::Task* task = proc::Task::Create(
                         "maps", [](void*) {}, nullptr)
                         .value();
  proc::Process* process = proc::Process::Create(*task, nullptr).value();
  lib::RefPtr<mm::AddressSpace> as = mm::AddressSpace::Create().value();
  const u64 base = MapVdso(*as).value();
  task->SetAddressSpace(as);
  lib::StringBuilder out;
  ASSERT_TRUE(fs::procfs::GenMaps(out, fs::Actor{}, process->pid()).ok());
  const std::string maps(out.view().data(), out.view().size());
  char vdso[64], vvar[64];
  snprintf(vdso, sizeof(vdso), "%08lx-%08lx r-xp ", static_cast<unsigned long>(base),
           static_cast<unsigned long>(base + text_size(*as, base)));
  snprintf(vvar, sizeof(vvar), "%08lx-%08lx r--p ", static_cast<unsigned long>(base - kPageSize),
           static_cast<unsigned long>(base));
  const usize at_vdso = maps.find(vdso), at_vvar = maps.find(vvar);
  ASSERT_NE(at_vdso, std::string::npos) << maps;
  ASSERT_NE(at_vvar, std::string::npos) << maps;
  auto line_at = [&](usize at) { return maps.substr(at, maps.find('\n', at) - at); };
  const std::string vdso_line = line_at(at_vdso), vvar_line = line_at(at_vvar);
  ASSERT_GT(vdso_line.size(), 73u);
  EXPECT_EQ(vdso_line.substr(73), "[vdso]") << "in column 74, as Linux pads it: " << maps;
  ASSERT_GT(vvar_line.size(), 73u);
  EXPECT_EQ(vvar_line.substr(73), "[vvar]") << maps;
  proc::Process::Destroy(process);
}

}  // namespace
}  // namespace kernel::vdso
