#pragma once
// hostsim's software MMU: translates one access through x86_64 4-level page tables and
// reports the fault the hardware would raise, #PF error code included [intel-sdm 3 §4.6,
// §4.7]. Scripted mode runs every user load, store and fetch through it, and user copies
// (usercopy.cc) do their page walks with it. Host code.
//
// The simulated CPU runs with CR0.WP=1, CR4.SMEP=1, CR4.SMAP=1, EFER.NXE=1 and no protection
// keys, as the x86_64 backend configures the real one. It does not set accessed or dirty
// bits: native mode runs user code on the host's MMU, which cannot set them in our tables, and
// the two modes must behave alike, so the kernel must not depend on them.
#include <hal/cpu.h>
#include <hal/mmu.h>

namespace hal::hostsim {

enum class Access : u8 { kRead, kWrite, kExecute };

/// kSupervisor is CPL 0 inside stac/clac (EFLAGS.AC=1), which is how the kernel touches user
/// memory: user pages are readable, CR0.WP still enforces read-only pages, SMEP forbids
/// fetching from them.
enum class Privilege : u8 { kUser, kSupervisor };

struct MmuResult {
  enum class Kind : u8 {
    kOk,
    kPageFault,          ///< #PF: error_code holds pf:: bits, address is CR2
    kGeneralProtection,  ///< #GP(0): a non-canonical address
  };
  Kind kind = Kind::kOk;
  PhysAddr phys = 0;  ///< kOk from Translate: where `va` lives
  u64 error_code = 0;
  u64 address = 0;  ///< the faulting linear address

  bool ok() const { return kind == Kind::kOk; }
  /// The trap EnterUser reports for this fault (kind must not be kOk).
  Trap AsTrap() const;
};

class SoftMmu {
 public:
  /// The simulated CPU's physical-address width (CPUID 0x80000008 EAX[7:0]); entry bits from
  /// here up to bit 51 are reserved and set the RSVD bit of the error code when present.
  static constexpr unsigned kMaxPhysAddrBits = 46;

  /// Translates one byte's address. An invalid root behaves as an empty address space.
  static MmuResult Translate(PageTableRoot root, u64 va, Access access, Privilege privilege);

  /// One instruction's access of `n` bytes at `va` (it may cross pages): every page is
  /// translated first and the first fault is reported with nothing transferred, as when an
  /// instruction faults. Load with Access::kExecute is an instruction fetch.
  static MmuResult Load(PageTableRoot root, u64 va, void* dst, usize n,
                        Access access = Access::kRead, Privilege privilege = Privilege::kUser);
  static MmuResult Store(PageTableRoot root, u64 va, const void* src, usize n,
                         Privilege privilege = Privilege::kUser);
};

}  // namespace hal::hostsim
