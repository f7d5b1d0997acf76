// The fork snapshot property, as a seeded randomized test: after any sequence of mmap,
// munmap, mprotect, madvise, touch, write, fork, exit and execve, every byte each process can
// read equals what a reference model says. A fork child sees exactly its parent's memory at
// fork time (pages never touched, pages written by a "loader" right after execve, shared
// mappings), and later writes on either side are invisible to the other, except through
// MAP_SHARED memory. Reproduce a failure with ARAMID_SEED=<seed> (printed on failure).
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>

#include "kernel/mm/address_space.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/proc/task.h"
#include "sim/machine.h"
#include "tests/proc/elf_builder.h"

namespace proc_test {
namespace {

constexpr uint64_t kPage = 4096;
using Bytes = std::array<uint8_t, kPage>;

struct PageModel {
  int prot;
  bool shared;
  std::shared_ptr<Bytes> data;
  // A private file page: what MADV_DONTNEED brings back (null: anonymous memory, zeroes).
  std::shared_ptr<const Bytes> file;
};

struct ProcModel {
  sim::Pid pid;
  std::map<uint64_t, PageModel> pages;
  // Pages the kernel mapped that the model does not follow (the stack, the vDSO): no random
  // operation touches them.
  std::set<uint64_t> opaque;
};

class SnapshotRun {
 public:
  SnapshotRun(uint64_t seed, const BuiltElf& image, const ElfSpec& spec)
      : rng_(seed), image_(image), spec_(spec) {}

  // Runs one random sequence; false (with the log in `why`) when a byte differs.
  bool Run(int steps, std::string* why) {
    sim::Machine m;
    m_ = &m;
    m.files().Add("/bin/image", image_.bytes);
    procs_.clear();
    procs_.push_back({m.Spawn("init"), {}, {}});
    for (int i = 0; i < steps; ++i) {
      Step();
      if (!failure_.empty()) break;
      CheckSample(4);
      if (!failure_.empty()) break;
    }
    if (failure_.empty()) CheckAll();
    m_ = nullptr;
    if (failure_.empty()) return true;
    *why = failure_ + "\nlog:\n" + log_.str();
    return false;
  }

 private:
  uint64_t Rand(uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng_); }
  ProcModel& AnyProc() { return procs_[Rand(procs_.size())]; }
  int RandomProt() {
    static const int kProts[] = {PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE, PROT_READ,
                                 PROT_NONE};
    return kProts[Rand(4)];
  }
  // A page-aligned address near something mapped (or anywhere in the mmap area).
  uint64_t NearMapped(ProcModel& p) {
    if (p.pages.empty() || Rand(5) == 0) return 0x7f0000000000 + Rand(64) * kPage;
    auto it = p.pages.begin();
    std::advance(it, Rand(p.pages.size()));
    int64_t delta = static_cast<int64_t>(Rand(7)) - 3;
    return it->first + delta * static_cast<int64_t>(kPage);
  }

  // Whether [start, start + pages pages) touches a page the model does not follow.
  bool Opaque(const ProcModel& p, uint64_t start, uint64_t pages) {
    for (uint64_t i = 0; i < pages; ++i) {
      if (p.opaque.count(start + i * kPage) != 0) return true;
    }
    return false;
  }
  void RecordOpaque(ProcModel& p) {
    p.opaque.clear();
    for (const kernel::mm::Vma& v : m_->TaskOf(p.pid)->address_space()->vmas()) {
      for (uint64_t va = v.start(); va < v.end(); va += kPage) {
        if (p.pages.count(va) == 0) p.opaque.insert(va);
      }
    }
  }

  void Fail(const std::string& what) {
    if (failure_.empty()) failure_ = what;
  }

  void Step() {
    ProcModel& p = AnyProc();
    switch (Rand(11)) {
      case 0:
      case 1:
        DoMmap(p);
        break;
      case 2:
        DoMunmap(p);
        break;
      case 3:
        DoMprotect(p);
        break;
      case 4:
      case 5:
        DoWrite(p);
        break;
      case 6:
        DoTouch(p);
        break;
      case 7:
        DoFork(p);
        break;
      case 8:
        DoDontNeed(p);
        break;
      case 9:
        if (Rand(3) == 0) DoExec(p);
        break;
      case 10:
        if (Rand(2) == 0) DoExit();
        break;
    }
  }

  void DoMmap(ProcModel& p) {
    uint64_t pages = 1 + Rand(6);
    int prot = RandomProt();
    bool shared = Rand(4) == 0;
    bool fixed = Rand(3) == 0;
    uint64_t hint = fixed ? NearMapped(p) : 0;
    if (fixed && Opaque(p, hint, pages)) return;
    int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | (fixed ? MAP_FIXED : 0);
    if (Rand(4) == 0) flags |= MAP_POPULATE;
    int64_t a = m_->Mmap(p.pid, pages * kPage, prot, flags, hint);
    log_ << p.pid << " mmap " << std::hex << hint << std::dec << " " << pages << "p prot " << prot
         << (shared ? " shared" : "") << " = " << std::hex << a << std::dec << "\n";
    if (a < 0) return Fail("mmap failed: " + std::to_string(a));
    std::shared_ptr<Bytes> shared_block;
    for (uint64_t i = 0; i < pages; ++i) {
      auto data = std::make_shared<Bytes>();
      data->fill(0);
      p.pages[static_cast<uint64_t>(a) + i * kPage] = PageModel{prot, shared, data, nullptr};
    }
  }

  void DoMunmap(ProcModel& p) {
    uint64_t start = NearMapped(p);
    uint64_t pages = 1 + Rand(4);
    if (Opaque(p, start, pages)) return;
    log_ << p.pid << " munmap " << std::hex << start << std::dec << " " << pages << "p\n";
    int64_t r = m_->Syscall(p.pid, SYS_munmap, start, pages * kPage).value;
    if (r != 0) return Fail("munmap failed");
    for (uint64_t i = 0; i < pages; ++i) p.pages.erase(start + i * kPage);
  }

  void DoMprotect(ProcModel& p) {
    uint64_t start = NearMapped(p);
    uint64_t pages = 1 + Rand(3);
    if (Opaque(p, start, pages)) return;
    int prot = RandomProt();
    int64_t r = m_->Syscall(p.pid, SYS_mprotect, start, pages * kPage, prot).value;
    log_ << p.pid << " mprotect " << std::hex << start << std::dec << " " << pages << "p " << prot
         << " = " << r << "\n";
    // Linux: pages up to the first hole change; a hole anywhere is ENOMEM.
    int64_t expect = 0;
    for (uint64_t i = 0; i < pages; ++i) {
      auto it = p.pages.find(start + i * kPage);
      if (it == p.pages.end()) {
        expect = -ENOMEM;
        break;
      }
      it->second.prot = prot;
    }
    if (r != expect) Fail("mprotect returned " + std::to_string(r));
  }

  void DoWrite(ProcModel& p) {
    std::vector<uint64_t> writable;
    for (auto& [va, pg] : p.pages) {
      if (pg.prot & PROT_WRITE) writable.push_back(va);
    }
    if (writable.empty()) return;
    uint64_t va = writable[Rand(writable.size())];
    uint64_t off = Rand(kPage - 16);
    uint64_t len = 1 + Rand(16);
    std::string bytes;
    for (uint64_t i = 0; i < len; ++i) bytes.push_back(static_cast<char>(Rand(256)));
    log_ << p.pid << " write " << std::hex << va + off << std::dec << " " << len << "\n";
    if (!m_->Store(p.pid, va + off, bytes).done()) return Fail("store died");
    std::memcpy(p.pages[va].data->data() + off, bytes.data(), len);
  }

  void DoTouch(ProcModel& p) {
    if (p.pages.empty()) return;
    auto it = p.pages.begin();
    std::advance(it, Rand(p.pages.size()));
    if (!(it->second.prot & PROT_READ)) return;
    log_ << p.pid << " touch " << std::hex << it->first << std::dec << "\n";
    CheckPage(p, it->first, it->second);
  }

  void DoDontNeed(ProcModel& p) {
    uint64_t start = NearMapped(p);
    uint64_t pages = 1 + Rand(3);
    if (Opaque(p, start, pages)) return;
    int64_t r = m_->Syscall(p.pid, SYS_madvise, start, pages * kPage, MADV_DONTNEED).value;
    log_ << p.pid << " dontneed " << std::hex << start << std::dec << " " << pages << "p = " << r
         << "\n";
    int64_t expect = 0;
    for (uint64_t i = 0; i < pages; ++i) {
      auto it = p.pages.find(start + i * kPage);
      if (it == p.pages.end()) {
        expect = -ENOMEM;
        continue;
      }
      // Linux applies the advice to the mapped parts and reports the hole. Private anonymous
      // memory reads as zeroes again, a private file page as the file; shared memory keeps
      // its bytes.
      if (it->second.shared) continue;
      if (it->second.file) {
        *it->second.data = *it->second.file;
      } else {
        it->second.data->fill(0);
      }
    }
    if (r != expect) Fail("madvise returned " + std::to_string(r));
  }

  void DoFork(ProcModel& p) {
    if (procs_.size() >= 4) return;
    int64_t child = m_->Syscall(p.pid, SYS_fork).value;
    log_ << p.pid << " fork = " << child << "\n";
    if (child <= 0) return Fail("fork failed");
    ProcModel c{static_cast<sim::Pid>(child), {}, p.opaque};
    for (auto& [va, pg] : p.pages) {
      PageModel copy = pg;
      if (!pg.shared) copy.data = std::make_shared<Bytes>(*pg.data);
      c.pages[va] = copy;
    }
    procs_.push_back(std::move(c));
  }

  void DoExit() {
    if (procs_.size() <= 1) return;
    size_t i = 1 + Rand(procs_.size() - 1);
    log_ << procs_[i].pid << " exit\n";
    if (!m_->Syscall(procs_[i].pid, SYS_exit_group, 0).died()) return Fail("exit returned");
    procs_.erase(procs_.begin() + static_cast<long>(i));
  }

  void DoExec(ProcModel& p) {
    log_ << p.pid << " execve\n";
    if (m_->Execve(p.pid, "/bin/image", {"image"}).value != 0) return Fail("execve failed");
    p.pages.clear();
    // The image: text (R-X) and data (RW-) pages map the file (bytes past its end read as
    // zero); the BSS pages after the data's last file page are anonymous.
    auto file_page = [&](uint64_t va, uint64_t vaddr, uint64_t offset) {
      auto page = std::make_shared<Bytes>();
      for (uint64_t b = 0; b < kPage; ++b) {
        uint64_t off = va + b - vaddr + offset;
        (*page)[b] = off < image_.bytes.size() ? image_.bytes[off] : 0;
      }
      return page;
    };
    auto add = [&](uint64_t va, int prot, const std::shared_ptr<const Bytes>& file) {
      auto data = std::make_shared<Bytes>();
      if (file) {
        *data = *file;
      } else {
        data->fill(0);
      }
      p.pages[va] = PageModel{prot, false, data, file};
    };
    const uint64_t text_end = image_.text_vaddr + spec_.text_size;
    for (uint64_t va = spec_.base; va < text_end; va += kPage) {
      add(va, PROT_READ | PROT_EXEC, file_page(va, spec_.base, 0));
    }
    const uint64_t data_start = image_.data_vaddr & ~(kPage - 1);
    const uint64_t file_end = (image_.data_vaddr + spec_.data_size + kPage - 1) & ~(kPage - 1);
    const uint64_t data_end = image_.data_vaddr + spec_.data_size + spec_.bss_size;
    for (uint64_t va = data_start; va < data_end; va += kPage) {
      add(va, PROT_READ | PROT_WRITE,
          va < file_end ? file_page(va, image_.data_vaddr, image_.data_offset) : nullptr);
    }
    // The BSS part of the last file page is zero in memory (the file may go on past it).
    for (uint64_t va = image_.data_vaddr + spec_.data_size; va < std::min(file_end, data_end);
         ++va) {
      (*p.pages[va & ~(kPage - 1)].data)[va & (kPage - 1)] = 0;
    }
    // A "dynamic loader" relocates a pointer on a data page nobody touches afterwards.
    uint64_t reloc = data_start + kPage * Rand((data_end - data_start) / kPage) + 8 * Rand(64);
    uint64_t value = 0x400000 + Rand(1 << 20);
    m_->Store(p.pid, reloc, &value, 8);
    std::memcpy(p.pages[reloc & ~(kPage - 1)].data->data() + (reloc & (kPage - 1)), &value, 8);
    RecordOpaque(p);
  }

  void CheckPage(ProcModel& p, uint64_t va, const PageModel& pg) {
    sim::Outcome o = m_->Load(p.pid, va, kPage);
    if (!o.done()) return Fail("load of a readable page died");
    if (std::memcmp(o.bytes.data(), pg.data->data(), kPage) != 0) {
      size_t i = 0;
      while (o.bytes[i] == (*pg.data)[i]) ++i;
      std::ostringstream s;
      s << "pid " << p.pid << " page " << std::hex << va << " byte " << i << ": got "
        << int(o.bytes[i]) << ", model " << int((*pg.data)[i]);
      Fail(s.str());
    }
  }

  void CheckSample(int n) {
    for (int i = 0; i < n && failure_.empty(); ++i) {
      ProcModel& p = AnyProc();
      if (p.pages.empty()) continue;
      auto it = p.pages.begin();
      std::advance(it, Rand(p.pages.size()));
      if (it->second.prot & PROT_READ) CheckPage(p, it->first, it->second);
    }
  }

  void CheckAll() {
    for (ProcModel& p : procs_) {
      for (auto& [va, pg] : p.pages) {
        if ((pg.prot & PROT_READ) && failure_.empty()) CheckPage(p, va, pg);
      }
    }
  }

  std::mt19937_64 rng_;
  const BuiltElf& image_;
  const ElfSpec& spec_;
  sim::Machine* m_ = nullptr;
  std::vector<ProcModel> procs_;
  std::ostringstream log_;
  std::string failure_;
};

TEST(ForkSnapshotTest, RandomSequencesMatchTheModel) {
  ElfSpec spec;
  BuiltElf image = BuildElf(spec);
  const char* env = std::getenv("ARAMID_SEED");
  const uint64_t first = env != nullptr ? std::strtoull(env, nullptr, 0) : 20261128;
  const int sequences = env != nullptr ? 1 : 5000;
  const size_t free_pages = kernel::mm::GetPhysStats().free_pages;
  for (int i = 0; i < sequences; ++i) {
    uint64_t seed = first + static_cast<uint64_t>(i);
    SnapshotRun run(seed, image, spec);
    std::string why;
    ASSERT_TRUE(run.Run(30, &why)) << "seed " << seed << " (ARAMID_SEED=" << seed << "): " << why;
    ASSERT_EQ(kernel::mm::GetPhysStats().free_pages, free_pages) << "seed " << seed << " leaked";
  }
}

}  // namespace
}  // namespace proc_test
