#include "kernel/elf/initial_stack.h"

#include <hal/cpu.h>

#include "kernel/elf/elf.h"
#include "kernel/random/random.h"

namespace kernel::elf {
namespace {

// What AT_PLATFORM names on x86_64.
constexpr lib::string_view kPlatform = "x86_64";
// AT_HWCAP is CPUID.1:EDX on x86 (a typical x86_64 value: fpu..sse2, the baseline every
// x86_64 has). Programs that care ask CPUID themselves. TODO(#5): the HAL's real value.
constexpr u64 kHwcap = 0x178bfbff;
// AT_MINSIGSTKSZ: room for a signal frame with this kernel's extended FPU state.
constexpr u64 kMinSigStkSz = hal::kFpuStateSize + 1024;
constexpr u64 kClockTicks = 100;    // AT_CLKTCK, sysconf(_SC_CLK_TCK)
constexpr usize kAuxvEntries = 19;  // including AT_NULL

usize StringsBytes(lib::span<const lib::String> v) {
  usize n = 0;
  for (const lib::String& s : v) n += s.size() + 1;
  return n;
}

Result<void> PutString(mm::AddressSpace& as, u64 at, lib::string_view s) {
  TRY(as.WriteForced(at, s.data(), s.size()));
  const char nul = '\0';
  return as.WriteForced(at + s.size(), &nul, 1);
}

}  // namespace

u64 InitialStackBytes(const StackContents& c) {
  u64 n = 8 + c.execfn.size() + 1 + StringsBytes(c.argv) + StringsBytes(c.envp);
  n += 16 + kPlatform.size() + 1 + 16 + 16;
  n += (c.argv.size() + c.envp.size() + 3) * 8 + kAuxvEntries * 16 + 16;
  return AlignUp(n, kPageSize);
}

Result<u64> BuildInitialStack(mm::AddressSpace& as, u64 top, const StackContents& c) {
  // Strings go down from 8 bytes below the top: the file name first, then the environment
  // and the arguments, each vector last string first, so that argv[0] ends up lowest.
  u64 p = top - 8;
  p -= c.execfn.size() + 1;
  const u64 execfn = p;
  TRY(PutString(as, execfn, c.execfn));
  auto put_strings = [&](lib::span<const lib::String> v, u64* first) -> Result<void> {
    for (usize i = v.size(); i-- > 0;) {
      p -= v[i].size() + 1;
      TRY(PutString(as, p, v[i].view()));
    }
    *first = p;
    return Ok();
  };
  u64 envp_strings = 0, argv_strings = 0;
  TRY(put_strings(c.envp, &envp_strings));
  TRY(put_strings(c.argv, &argv_strings));
  as.set_exec_strings({argv_strings, envp_strings, envp_strings, execfn});

  p = AlignDown(p, 16);
  p -= kPlatform.size() + 1;
  const u64 platform = p;
  TRY(PutString(as, platform, kPlatform));
  u8 random_bytes[16];
  random::GetBytes(random_bytes, sizeof(random_bytes));
  p -= sizeof(random_bytes);
  const u64 at_random = p;
  TRY(as.WriteForced(at_random, random_bytes, sizeof(random_bytes)));

  // In Linux's order: the vDSO first (ARCH_DLINFO), then the generic entries.
  const u64 auxv[kAuxvEntries][2] = {
      {at::kSysinfoEhdr, c.sysinfo_ehdr},
      {at::kMinsigstksz, kMinSigStkSz},
      {at::kHwcap, kHwcap},
      {at::kPagesz, kPageSize},
      {at::kClktck, kClockTicks},
      {at::kPhdr, c.phdr},
      {at::kPhent, sizeof(Phdr)},
      {at::kPhnum, c.phnum},
      {at::kBase, c.base},
      {at::kFlags, 0},
      {at::kEntry, c.entry},
      {at::kUid, c.uid},
      {at::kEuid, c.euid},
      {at::kGid, c.gid},
      {at::kEgid, c.egid},
      {at::kSecure, 0},
      {at::kRandom, at_random},
      {at::kExecfn, execfn},
      {at::kPlatform, platform},
  };
  const u64 auxv_null[2] = {at::kNull, 0};
  // argc, argv[], NULL, envp[], NULL, then the auxv: %rsp 16-byte aligned at argc.
  const usize words = 1 + c.argv.size() + 1 + c.envp.size() + 1;
  u64 sp = p - sizeof(auxv) - sizeof(auxv_null) - words * 8;
  sp = AlignDown(sp, 16);

  u64 w = sp;
  auto put_word = [&](u64 v) -> Result<void> {
    TRY(as.WriteForced(w, &v, sizeof(v)));
    w += 8;
    return Ok();
  };
  TRY(put_word(c.argv.size()));
  u64 s = argv_strings;
  for (const lib::String& a : c.argv) {
    TRY(put_word(s));
    s += a.size() + 1;
  }
  TRY(put_word(0));
  s = envp_strings;
  for (const lib::String& e : c.envp) {
    TRY(put_word(s));
    s += e.size() + 1;
  }
  TRY(put_word(0));
  TRY(as.WriteForced(w, auxv, sizeof(auxv)));
  TRY(as.WriteForced(w + sizeof(auxv), auxv_null, sizeof(auxv_null)));
  return sp;
}

}  // namespace kernel::elf
