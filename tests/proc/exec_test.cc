// execve in sim: the ELF loader on synthetic images whose every byte is known, the initial
// stack, interpreters and `#!` scripts, and malformed input compared with what the host's
// Linux kernel says about the very same file.
#include <elf.h>
#include <gtest/gtest.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>

#include "kernel/mm/address_space.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/page_alloc.h"
#include "sim/machine.h"
#include "tests/proc/elf_builder.h"
#include "tests/proc/native.h"

namespace proc_test {
namespace {

using sim::Outcome;
using sim::Pid;

uint64_t U64(const std::vector<uint8_t>& b, size_t off = 0) {
  uint64_t v;
  std::memcpy(&v, b.data() + off, 8);
  return v;
}

struct InitialStack {
  uint64_t rsp = 0;
  std::vector<std::string> argv, envp;
  std::map<uint64_t, uint64_t> auxv;
};

class ExecTest : public testing::Test {
 protected:
  void SetUp() override { free_pages_ = kernel::mm::GetPhysStats().free_pages; }
  void TearDown() override {
    kernel::mm::ClearPageAllocFailure();
    kernel::mm::heap::ClearFailure();
    machine_.reset();
    EXPECT_EQ(kernel::mm::GetPhysStats().free_pages, free_pages_) << "pages leaked";
  }
  sim::Machine& m() { return *machine_; }

  std::string LoadString(Pid tid, uint64_t addr) {
    std::string s;
    for (;;) {
      Outcome o = m().Load(tid, addr + s.size(), 1);
      if (!o.done() || o.bytes[0] == 0) return s;
      s.push_back(static_cast<char>(o.bytes[0]));
    }
  }

  InitialStack ReadStack(Pid tid) {
    InitialStack st;
    st.rsp = m().TaskOf(tid)->user_context().regs.rsp;
    uint64_t p = st.rsp;
    uint64_t argc = U64(m().Load(tid, p, 8).bytes);
    p += 8;
    for (uint64_t i = 0; i < argc; ++i, p += 8)
      st.argv.push_back(LoadString(tid, U64(m().Load(tid, p, 8).bytes)));
    EXPECT_EQ(U64(m().Load(tid, p, 8).bytes), 0u);
    for (p += 8;; p += 8) {
      uint64_t e = U64(m().Load(tid, p, 8).bytes);
      if (e == 0) break;
      st.envp.push_back(LoadString(tid, e));
    }
    for (p += 8;; p += 16) {
      auto kv = m().Load(tid, p, 16).bytes;
      if (U64(kv) == AT_NULL) break;
      st.auxv[U64(kv)] = U64(kv, 8);
    }
    return st;
  }

  size_t free_pages_ = 0;
  std::unique_ptr<sim::Machine> machine_ = std::make_unique<sim::Machine>();
};

TEST_F(ExecTest, StaticExecutableIsLoadedByteForByte) {
  ElfSpec spec;
  BuiltElf elf = BuildElf(spec);
  m().files().Add("/bin/prog", elf.bytes);
  Pid init = m().Spawn("init");
  Outcome r = m().Execve(init, "/bin/prog", {"prog", "one", "two"}, {"A=1", "HOME=/"});
  ASSERT_TRUE(r.done());
  ASSERT_EQ(r.value, 0);
  const hal::UserRegs& regs = m().TaskOf(init)->user_context().regs;
  EXPECT_EQ(regs.rip, elf.entry);
  EXPECT_EQ(regs.rsp % 16, 0u) << "the ABI wants %rsp 16-byte aligned at _start";
  EXPECT_EQ(regs.cs, 0x33u);
  EXPECT_EQ(regs.rax, 0u);
  EXPECT_STREQ(m().TaskOf(init)->name(), "prog");

  InitialStack st = ReadStack(init);
  EXPECT_EQ(st.argv, (std::vector<std::string>{"prog", "one", "two"}));
  EXPECT_EQ(st.envp, (std::vector<std::string>{"A=1", "HOME=/"}));
  EXPECT_EQ(st.auxv[AT_PAGESZ], 4096u);
  EXPECT_EQ(st.auxv[AT_ENTRY], elf.entry);
  EXPECT_EQ(st.auxv[AT_PHDR], spec.base + elf.phoff);
  EXPECT_EQ(st.auxv[AT_PHENT], sizeof(Elf64_Phdr));
  EXPECT_EQ(st.auxv[AT_PHNUM], 3u);
  EXPECT_EQ(st.auxv[AT_BASE], 0u);
  EXPECT_EQ(st.auxv[AT_UID], 0u);
  EXPECT_EQ(LoadString(init, st.auxv[AT_EXECFN]), "/bin/prog");
  EXPECT_EQ(LoadString(init, st.auxv[AT_PLATFORM]), "x86_64");
  ASSERT_NE(st.auxv[AT_RANDOM], 0u);
  EXPECT_EQ(m().Load(init, st.auxv[AT_RANDOM], 16).bytes.size(), 16u);

  // Text and data as in the file, the BSS (including the rest of the last data page) zero.
  EXPECT_EQ(m().Fetch(init, elf.entry, 12).bytes, std::vector<uint8_t>(kExit42, kExit42 + 12));
  auto data = m().Load(init, elf.data_vaddr, spec.data_size).bytes;
  for (uint64_t i = 0; i < spec.data_size; i += 97) ASSERT_EQ(data[i], DataByte(i)) << i;
  auto bss = m().Load(init, elf.data_vaddr + spec.data_size, spec.bss_size).bytes;
  EXPECT_EQ(bss, std::vector<uint8_t>(spec.bss_size, 0));
  // The heap starts after the BSS.
  uint64_t brk = static_cast<uint64_t>(m().Syscall(init, SYS_brk, 0).value);
  EXPECT_EQ(brk, (elf.data_vaddr + spec.data_size + spec.bss_size + 0xfff) & ~0xfffull);
}

TEST_F(ExecTest, WritableSegmentsArePopulatedAndProtectionsFollowPFlags) {
  ElfSpec spec;
  BuiltElf elf = BuildElf(spec);
  m().files().Add("/bin/prog", elf.bytes);
  Pid init = m().Spawn("init");
  ASSERT_EQ(m().Execve(init, "/bin/prog", {"prog"}).value, 0);
  kernel::mm::AddressSpace* as = m().TaskOf(init)->address_space();
  for (uint64_t va = elf.data_vaddr & ~0xfffull; va < elf.data_vaddr + spec.data_size; va += 4096) {
    auto t = hal::Mmu::Query(as->root(), va);
    ASSERT_TRUE(t.ok()) << std::hex << va << " not populated at execve";
    EXPECT_NE(t.value().flags & hal::pte::kWritable, 0u);
  }
  Outcome w = m().Store(init, elf.data_vaddr, "x");
  EXPECT_TRUE(w.done());
  EXPECT_EQ(w.faults, 0) << "a populated private page takes no fault";
  // The text is read-only and executable; the data is not executable.
  Pid child = static_cast<Pid>(m().Syscall(init, SYS_fork).value);
  EXPECT_TRUE(m().Store(child, elf.entry, "x").died());
  EXPECT_EQ(m().ExitStatus(child).value_or(0) & 0x7f, SIGSEGV);
  Pid child2 = static_cast<Pid>(m().Syscall(init, SYS_fork).value);
  EXPECT_TRUE(m().Fetch(child2, elf.data_vaddr, 1).died());
}

TEST_F(ExecTest, FailedExecLeavesTheCallerIntact) {
  Pid init = m().Spawn("init");
  int64_t a = m().Mmap(init, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  m().Store(init, a, "still here");
  m().files().Add("/bin/text", std::string("just text\n"));
  EXPECT_EQ(m().Execve(init, "/bin/missing", {"x"}).value, -ENOENT);
  EXPECT_EQ(m().Execve(init, "/bin/text", {"x"}).value, -ENOEXEC);
  EXPECT_EQ(m().Load(init, a, 10).text(), "still here");
  EXPECT_EQ(m().Syscall(init, SYS_getpid).value, init);
  // Bad pointers: EFAULT.
  EXPECT_EQ(m().Syscall(init, SYS_execve, 0x10, 0, 0).value, -EFAULT);
  uint64_t path = m().PushString(init, "/bin/text");
  EXPECT_EQ(m().Syscall(init, SYS_execve, path, 0x10, 0).value, -EFAULT);
  EXPECT_EQ(m().Syscall(init, SYS_execve, m().PushString(init, ""), 0, 0).value, -ENOENT);
}

TEST_F(ExecTest, PieWithInterpreterGoesToElfEtDynBaseAndStartsInTheInterpreter) {
  ElfSpec main_spec;
  main_spec.type = ET_DYN;
  main_spec.base = 0;
  main_spec.interp = "/lib/ld.so";
  BuiltElf main = BuildElf(main_spec);
  ElfSpec ld_spec;
  ld_spec.type = ET_DYN;
  ld_spec.base = 0;
  BuiltElf ld = BuildElf(ld_spec);
  m().files().Add("/bin/pie", main.bytes);
  m().files().Add("/lib/ld.so", ld.bytes);
  Pid init = m().Spawn("init");
  ASSERT_EQ(m().Execve(init, "/bin/pie", {"pie"}).value, 0);
  InitialStack st = ReadStack(init);
  const uint64_t bias = 0x555555554000;
  EXPECT_EQ(st.auxv[AT_ENTRY], bias + main.entry);
  EXPECT_EQ(st.auxv[AT_PHDR], bias + main.phoff);
  uint64_t ld_base = st.auxv[AT_BASE];
  EXPECT_NE(ld_base, 0u);
  EXPECT_LT(ld_base, 0x7ffff7fff000u);
  EXPECT_GT(ld_base, 0x7f0000000000u);
  EXPECT_EQ(m().TaskOf(init)->user_context().regs.rip, ld_base + ld.entry);
  EXPECT_EQ(m().Load(init, bias + main.data_vaddr, 1).bytes[0], DataByte(0));
}

TEST_F(ExecTest, StaticPieIsPlacedLikeAnMmap) {
  ElfSpec spec;
  spec.type = ET_DYN;
  spec.base = 0;
  BuiltElf elf = BuildElf(spec);
  m().files().Add("/bin/spie", elf.bytes);
  Pid init = m().Spawn("init");
  ASSERT_EQ(m().Execve(init, "/bin/spie", {"spie"}).value, 0);
  InitialStack st = ReadStack(init);
  uint64_t bias = st.auxv[AT_PHDR] - elf.phoff;
  EXPECT_GT(bias, 0x7f0000000000u);
  EXPECT_EQ(st.auxv[AT_BASE], 0u);
  EXPECT_EQ(m().TaskOf(init)->user_context().regs.rip, bias + elf.entry);
}

TEST_F(ExecTest, ScriptsRunTheirInterpreterWithTheArgumentAndThePath) {
  BuiltElf elf = BuildElf(ElfSpec{});
  m().files().Add("/bin/interp", elf.bytes);
  m().files().Add("/bin/script", std::string("#!  /bin/interp  -x  y \t\nbody\n"));
  m().files().Add("/bin/outer", std::string("#!/bin/script\n"));
  Pid init = m().Spawn("init");
  ASSERT_EQ(m().Execve(init, "/bin/outer", {"outer", "arg1"}).value, 0);
  InitialStack st = ReadStack(init);
  // Linux: interpreter, its argument (everything after the name, inner spaces kept), the path.
  EXPECT_EQ(st.argv, (std::vector<std::string>{"/bin/interp", "-x  y", "/bin/script", "/bin/outer",
                                               "arg1"}));
  EXPECT_EQ(LoadString(init, st.auxv[AT_EXECFN]), "/bin/outer");
  EXPECT_STREQ(m().TaskOf(init)->name(), "outer");
}

TEST_F(ExecTest, InterpreterLoopsAreEloop) {
  m().files().Add("/bin/a", std::string("#!/bin/b\n"));
  m().files().Add("/bin/b", std::string("#!/bin/a\n"));
  m().files().Add("/bin/empty", std::string("#!   \n"));
  Pid init = m().Spawn("init");
  EXPECT_EQ(m().Execve(init, "/bin/a", {"a"}).value, -ELOOP);
  EXPECT_EQ(m().Execve(init, "/bin/empty", {"e"}).value, -ENOEXEC);
  // Five levels of scripts are fine, six are not.
  m().files().Add("/bin/elf", BuildElf(ElfSpec{}).bytes);
  std::string prev = "/bin/elf";
  for (int i = 1; i <= 6; ++i) {
    std::string name = "/bin/s" + std::to_string(i);
    m().files().Add(name, "#!" + prev + "\n");
    prev = name;
  }
  EXPECT_EQ(m().Execve(init, "/bin/s5", {"s5"}).value, 0);
  Pid other = m().Spawn("other");
  EXPECT_EQ(m().Execve(other, "/bin/s6", {"s6"}).value, -ELOOP);
}

TEST_F(ExecTest, ExecReleasesAVforkParent) {
  m().files().Add("/bin/prog", BuildElf(ElfSpec{}).bytes);
  Pid init = m().Spawn("init");
  uint64_t path = m().PushString(init, "/bin/prog");
  uint64_t argv = m().PushStrings(init, {"prog"});
  Outcome v = m().Syscall(init, SYS_vfork);
  ASSERT_TRUE(v.pending());
  Pid child = init + 1;
  EXPECT_EQ(m().Syscall(child, SYS_execve, path, argv, 0).value, 0);
  v = m().Wait(init);
  ASSERT_TRUE(v.done());
  EXPECT_EQ(v.value, child);
  // The parent's memory was shared until the exec, and is its own again.
  EXPECT_EQ(LoadString(init, path), "/bin/prog");
}

TEST_F(ExecTest, ExecKillsTheOtherThreads) {
  m().files().Add("/bin/prog", BuildElf(ElfSpec{}).bytes);
  Pid init = m().Spawn("init");
  int64_t stack = m().Mmap(init, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  Pid thread = static_cast<Pid>(
      m().Syscall(init, SYS_clone, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD, stack + 8192).value);
  ASSERT_GT(thread, 0);
  EXPECT_TRUE(m().Syscall(thread, SYS_futex, stack, FUTEX_WAIT_PRIVATE, 0, 0, 0, 0).pending());
  EXPECT_EQ(m().Execve(init, "/bin/prog", {"prog"}).value, 0);
  EXPECT_FALSE(m().Alive(thread));
  EXPECT_TRUE(m().Alive(init));
}

TEST_F(ExecTest, ExhaustedMemoryDuringExecveIsEnomemAndLeaksNothing) {
  ElfSpec spec;
  spec.type = ET_DYN;
  spec.base = 0;
  spec.interp = "/lib/ld.so";
  m().files().Add("/bin/pie", BuildElf(spec).bytes);
  ElfSpec ld;
  ld.type = ET_DYN;
  ld.base = 0;
  m().files().Add("/lib/ld.so", BuildElf(ld).bytes);
  Pid init = m().Spawn("init");
  int64_t a = m().Mmap(init, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  m().Store(init, a, "intact");
  uint64_t path = m().PushString(init, "/bin/pie");
  uint64_t argv = m().PushStrings(init, {"pie", "x"});
  int failures = 0;
  for (size_t n = 0;; ++n) {
    ASSERT_LT(n, 200u) << "execve never succeeded";
    size_t before = kernel::mm::GetPhysStats().free_pages;
    size_t heap_before = kernel::mm::heap::GetStats().allocations;
    // Fail the n-th page allocation, or (odd rounds) the n-th heap allocation.
    Outcome r = m().Call(init, [&](kernel::proc::Task& t) -> int64_t {
      (void)t;
      if (n % 2 == 0) {
        kernel::mm::FailPageAllocAfter(n / 2);
      } else {
        kernel::mm::heap::FailAfter(n / 2);
      }
      return 0;
    });
    ASSERT_TRUE(r.done());
    Outcome e = m().Syscall(init, SYS_execve, path, argv, 0);
    kernel::mm::ClearPageAllocFailure();
    kernel::mm::heap::ClearFailure();
    ASSERT_TRUE(e.done());
    if (e.value == 0) {
      if (n % 2 == 0 || n > 60) break;
      // A heap round succeeded early: start the next one from a fresh process.
      init = m().Spawn("again");
      a = m().Mmap(init, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
      m().Store(init, a, "intact");
      path = m().PushString(init, "/bin/pie");
      argv = m().PushStrings(init, {"pie", "x"});
      continue;
    }
    ++failures;
    EXPECT_EQ(e.value, -ENOMEM) << "round " << n;
    EXPECT_EQ(kernel::mm::GetPhysStats().free_pages, before) << "round " << n;
    EXPECT_EQ(kernel::mm::heap::GetStats().allocations, heap_before) << "round " << n;
    EXPECT_EQ(m().Load(init, a, 6).text(), "intact") << "round " << n;
  }
  EXPECT_GT(failures, 10);
}

TEST_F(ExecTest, ExhaustedMemoryDuringForkIsEnomemAndLeaksNothing) {
  m().files().Add("/bin/prog", BuildElf(ElfSpec{}).bytes);
  Pid init = m().Spawn("init");
  ASSERT_EQ(m().Execve(init, "/bin/prog", {"prog"}).value, 0);
  int64_t a = m().Mmap(init, 16ul * 4096, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE);
  int failures = 0;
  for (size_t n = 0; n < 120; ++n) {
    size_t before = kernel::mm::GetPhysStats().free_pages;
    size_t tasks = m().TaskCount();
    m().Call(init, [&](kernel::proc::Task&) -> int64_t {
      if (n % 2 == 0) {
        kernel::mm::FailPageAllocAfter(n / 2);
      } else {
        kernel::mm::heap::FailAfter(n / 2);
      }
      return 0;
    });
    Outcome f = m().Syscall(init, SYS_fork);
    kernel::mm::ClearPageAllocFailure();
    kernel::mm::heap::ClearFailure();
    ASSERT_TRUE(f.done());
    if (f.value > 0) {
      m().Syscall(static_cast<Pid>(f.value), SYS_exit_group, 0);
      EXPECT_EQ(m().Syscall(init, SYS_wait4, f.value, 0, 0, 0).value, f.value);
      continue;
    }
    ++failures;
    EXPECT_TRUE(f.value == -ENOMEM || f.value == -EAGAIN) << f.value;
    EXPECT_EQ(kernel::mm::GetPhysStats().free_pages, before);
    EXPECT_EQ(m().TaskCount(), tasks);
    EXPECT_TRUE(m().Store(init, a, "ok").done());
  }
  EXPECT_GT(failures, 10);
}

// ---- malformed images, compared with Linux ----

struct BadCase {
  const char* name;
  std::function<void(std::vector<uint8_t>&)> mutate;
};

class MalformedElfTest : public ExecTest, public testing::WithParamInterface<BadCase> {};

TEST_P(MalformedElfTest, FailsAsLinuxDoesAndLeavesTheCallerIntact) {
  TempDir dir;
  ElfSpec spec;
  std::vector<uint8_t> bytes = BuildElf(spec).bytes;
  GetParam().mutate(bytes);
  std::string path = dir.Write("prog", bytes);
  // Interpreters some cases name.
  std::string text_interp = dir.Write(
      "text-interp",
      std::string("not an elf file at all, longer than sixty-four bytes................\n"));
  std::string short_interp =
      dir.Write("short-interp", std::vector<uint8_t>{0x7f, 'E', 'L', 'F', 2, 1, 1});
  for (const std::string& f : {path, text_interp, short_interp}) {
    std::ifstream in(f, std::ios::binary);
    m().files().Add(f, std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {}));
  }

  NativeResult native = RunNative(path, {"prog"});
  Pid init = m().Spawn("init");
  int64_t a = m().Mmap(init, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  m().Store(init, a, "intact");
  uint64_t upath = m().PushString(init, path);
  uint64_t argv = m().PushStrings(init, {"prog"});
  size_t before = kernel::mm::GetPhysStats().free_pages;
  Outcome r = m().Syscall(init, SYS_execve, upath, argv, 0);
  ASSERT_TRUE(r.done());
  if (native.exec_failed) {
    EXPECT_EQ(r.value, -native.err) << "Linux: " << native.Describe();
  } else if (r.value == 0) {
    // Linux ran it: it exits 42 from the entry point, or faults if nothing is mapped there.
    EXPECT_TRUE(WIFEXITED(native.wait_status) || WIFSIGNALED(native.wait_status));
    return;
  } else {
    // Linux gave up after the point of no return (the process dies with SIGSEGV); Aramid
    // built the new address space first, so it returns the error instead.
    EXPECT_TRUE(WIFSIGNALED(native.wait_status) && WTERMSIG(native.wait_status) == SIGSEGV)
        << "Linux: " << native.Describe() << ", Aramid: " << r.value;
  }
  EXPECT_EQ(kernel::mm::GetPhysStats().free_pages, before) << "the failed exec leaked pages";
  EXPECT_EQ(m().Load(init, a, 6).text(), "intact");
}

void SetInterp(std::vector<uint8_t>& b, const std::string& path, uint64_t filesz_delta = 0,
               bool nul = true) {
  // Turns the PT_GNU_STACK entry into a PT_INTERP pointing at bytes appended to the file.
  uint64_t off = b.size();
  b.insert(b.end(), path.begin(), path.end());
  if (nul) b.push_back(0);
  Elf64_Phdr& p = Phdrs(b)[2];
  p.p_type = PT_INTERP;
  p.p_offset = off;
  p.p_filesz = path.size() + (nul ? 1 : 0) + filesz_delta;
  p.p_memsz = p.p_filesz;
}

const BadCase kBadCases[] = {
    {"Empty", [](auto& b) { b.clear(); }},
    {"MagicOnly", [](auto& b) { b.resize(4); }},
    {"TruncatedHeader", [](auto& b) { b.resize(40); }},
    {"TruncatedProgramHeaders", [](auto& b) { b.resize(Header(b)->e_phoff + 20); }},
    {"WrongPhentsize", [](auto& b) { Header(b)->e_phentsize = 32; }},
    {"NoProgramHeaders", [](auto& b) { Header(b)->e_phnum = 0; }},
    {"TooManyProgramHeaders", [](auto& b) { Header(b)->e_phnum = 74; }},
    {"ProgramHeadersPastTheEnd", [](auto& b) { Header(b)->e_phoff = 1 << 20; }},
    {"ProgramHeaderOffsetWraps", [](auto& b) { Header(b)->e_phoff = ~0ull - 16; }},
    {"ProgramHeadersOverlapTheHeader", [](auto& b) { Header(b)->e_phoff = 8; }},
    {"WrongMachine", [](auto& b) { Header(b)->e_machine = EM_386; }},
    {"Relocatable", [](auto& b) { Header(b)->e_type = ET_REL; }},
    {"Class32", [](auto& b) { Header(b)->e_ident[EI_CLASS] = ELFCLASS32; }},
    {"InterpTooShort", [](auto& b) { SetInterp(b, "", 0); }},
    {"InterpNotTerminated", [](auto& b) { SetInterp(b, "/lib/ld.so", 0, false); }},
    {"InterpPastTheEnd", [](auto& b) { SetInterp(b, "/lib/ld.so", 100); }},
    {"InterpTooLong", [](auto& b) { SetInterp(b, std::string(5000, 'x')); }},
    {"MissingInterpreter", [](auto& b) { SetInterp(b, "/nonexistent/ld.so"); }},
    {"FileSizeAboveMemorySize", [](auto& b) { Phdrs(b)[1].p_filesz = Phdrs(b)[1].p_memsz + 1; }},
    {"MisalignedSegment", [](auto& b) { Phdrs(b)[1].p_offset += 1; }},
    {"SegmentInTheKernelHalf", [](auto& b) { Phdrs(b)[1].p_vaddr = 0xffff800000000000; }},
    {"HugeSegment", [](auto& b) { Phdrs(b)[1].p_memsz = 1ull << 50; }},
    {"EntryInTheKernelHalf", [](auto& b) { Header(b)->e_entry = 0xffffffff80000000; }},
    {"OverlappingSegments", [](auto& b) { Phdrs(b)[1].p_vaddr = Phdrs(b)[0].p_vaddr + 0x123; }},
    {"NoLoadableSegments",
     [](auto& b) {
       Phdrs(b)[0].p_type = PT_NOTE;
       Phdrs(b)[1].p_type = PT_NOTE;
     }},
};

INSTANTIATE_TEST_SUITE_P(Elf, MalformedElfTest, testing::ValuesIn(kBadCases),
                         [](const auto& test) { return std::string(test.param.name); });

// Interpreters that are not interpreters need the temp dir's paths, so they get their own test.
TEST_F(ExecTest, BadInterpretersFailAsOnLinux) {
  TempDir dir;
  std::string text = dir.Write("text-interp", std::string(100, 'x'));
  std::string shorty = dir.Write("short-interp", std::vector<uint8_t>{0x7f, 'E', 'L', 'F', 2, 1});
  std::vector<uint8_t> garbage_phdrs = BuildElf(ElfSpec{}).bytes;
  Header(garbage_phdrs)->e_phentsize = 3;
  std::string bad_phdrs = dir.Write("bad-phdrs-interp", garbage_phdrs);
  Pid init = m().Spawn("init");
  for (const std::string& interp : {text, shorty, bad_phdrs}) {
    std::vector<uint8_t> prog = BuildElf(ElfSpec{}).bytes;
    SetInterp(prog, interp);
    std::string path = dir.Write("prog-" + std::to_string(interp.size()), prog);
    for (const std::string& f : {path, interp}) {
      std::ifstream in(f, std::ios::binary);
      m().files().Add(f, std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {}));
    }
    NativeResult native = RunNative(path, {"prog"});
    ASSERT_TRUE(native.exec_failed) << interp << ": " << native.Describe();
    EXPECT_EQ(m().Execve(init, path, {"prog"}).value, -native.err) << interp;
  }
}

// An interpreter's own PT_INTERP is ignored (load_elf_interp maps it as a plain ELF), so an
// interpreter that is itself dynamic, and a program that names itself as its interpreter, both
// run on Linux; Aramid must start them in the interpreter too, not fail or recurse.
TEST_F(ExecTest, DynamicAndSelfReferentialInterpretersAreLoadedAsPlainElfs) {
  TempDir dir;
  ElfSpec dyn;
  dyn.type = ET_DYN;
  dyn.base = 0;
  BuiltElf ld = BuildElf(dyn);
  std::vector<uint8_t> dynamic_ld = ld.bytes;
  SetInterp(dynamic_ld, "/nonexistent/ld.so");
  const std::string ld_path = dir.Write("dynamic-ld", dynamic_ld);
  std::vector<uint8_t> prog = BuildElf(dyn).bytes;
  SetInterp(prog, ld_path);
  const std::string prog_path = dir.Write("prog", prog);
  const std::string self_path = dir.path() + "/self";
  std::vector<uint8_t> self = BuildElf(dyn).bytes;
  SetInterp(self, self_path);
  ASSERT_EQ(dir.Write("self", self), self_path);
  for (const std::string& f : {ld_path, prog_path, self_path}) {
    std::ifstream in(f, std::ios::binary);
    m().files().Add(f, std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {}));
  }
  for (const std::string& path : {prog_path, self_path}) {
    NativeResult native = RunNative(path, {"prog"});
    ASSERT_FALSE(native.exec_failed) << path << ": " << native.Describe();
    EXPECT_TRUE(WIFEXITED(native.wait_status) && WEXITSTATUS(native.wait_status) == 42)
        << path << ": " << native.Describe();
    Pid init = m().Spawn("init");
    ASSERT_EQ(m().Execve(init, path, {"prog"}).value, 0) << path;
    InitialStack st = ReadStack(init);
    ASSERT_NE(st.auxv[AT_BASE], 0u) << path;
    EXPECT_EQ(m().TaskOf(init)->user_context().regs.rip, st.auxv[AT_BASE] + ld.entry) << path;
    EXPECT_NE(st.auxv[AT_ENTRY], st.auxv[AT_BASE] + ld.entry) << path << ": two separate images";
    EXPECT_EQ(m().Load(init, st.auxv[AT_BASE] + ld.entry, sizeof(kExit42)).bytes,
              std::vector<uint8_t>(std::begin(kExit42), std::end(kExit42)))
        << path;
  }
}

}  // namespace
}  // namespace proc_test
