#include "kernel/vdso/vdso.h"

#include <hal/clock.h>
#include <hal/interrupts.h>
#include <hal/phys.h>

#include "kernel/lib/alloc.h"
#include "kernel/mm/memory_object.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/time/clocks.h"
#include "kernel/vdso/vvar_abi.h"

extern "C" const kernel::u8 aramid_vdso_image_start[];
extern "C" const kernel::u8 aramid_vdso_image_end[];

namespace kernel::vdso {
namespace {

usize ImagePages() { return (Image().size() + kPageSize - 1) / kPageSize; }

// Page 0 is the data page, pages 1.. the image.
class VdsoObject;
VdsoObject* g_live = nullptr;  // the object while something maps it

class VdsoObject final : public mm::MemoryObject {
 public:
  static Result<lib::RefPtr<mm::MemoryObject>> Get();

  explicit VdsoObject(usize count) : count_(count) {}
  ~VdsoObject() override {
    if (g_live == this) g_live = nullptr;
    for (usize i = 0; i < count_; ++i) {
      if (pages_[i] != 0) mm::PutPage(pages_[i]);
    }
    lib::Free(pages_);
  }

  Result<PhysAddr> GetPage(u64 index) override {
    // The VMAs never reach past the image; a fault there is the SIGBUS Linux gives for a
    // special mapping's missing page.
    if (index >= count_) return Errno::kEIO;
    mm::GetPage(pages_[index]);
    return pages_[index];
  }

  AramidVvar& vvar() { return *static_cast<AramidVvar*>(hal::Phys::ToVirt(pages_[0])); }

 private:
  Result<void> Fill() {
    pages_ = static_cast<PhysAddr*>(lib::Allocate(count_ * sizeof(PhysAddr)));
    if (pages_ == nullptr) return Errno::kENOMEM;
    for (usize i = 0; i < count_; ++i) pages_[i] = 0;
    lib::span<const u8> image = Image();
    for (usize i = 0; i < count_; ++i) {
      pages_[i] = TRY(mm::AllocZeroedPage());
      if (i == 0) continue;
      const usize off = (i - 1) * kPageSize;
      const usize n = image.size() - off < kPageSize ? image.size() - off : kPageSize;
      __builtin_memcpy(hal::Phys::ToVirt(pages_[i]), image.data() + off, n);
    }
    return Ok();
  }

  usize count_;
  PhysAddr* pages_ = nullptr;
};

Result<lib::RefPtr<mm::MemoryObject>> VdsoObject::Get() {
  if (g_live != nullptr) return lib::RefPtr<mm::MemoryObject>(g_live);
  VdsoObject* o = TRY(lib::TryNew<VdsoObject>(1 + ImagePages()));
  lib::RefPtr<mm::MemoryObject> ref = lib::AdoptRef<mm::MemoryObject>(o);
  TRY(o->Fill());  // on failure `ref` frees what was allocated
  g_live = o;
  UpdateVvar();
  return ref;
}

}  // namespace

lib::span<const u8> Image() {
  return lib::span<const u8>(aramid_vdso_image_start,
                             static_cast<usize>(aramid_vdso_image_end - aramid_vdso_image_start));
}

Result<u64> MapVdso(mm::AddressSpace& as) {
  lib::RefPtr<mm::MemoryObject> object = TRY(VdsoObject::Get());
  const u64 text_len = ImagePages() * kPageSize;
  // One placement for both, then each part at its fixed place with its own protection.
  mm::MapRequest all;
  all.length = kPageSize + text_len;
  all.prot = mm::prot::kRead;
  all.object = object;
  const u64 start = TRY(as.Map(all));
  mm::MapRequest vvar;
  vvar.addr = start;
  vvar.length = kPageSize;
  vvar.prot = mm::prot::kRead;
  vvar.map_flags = mm::map::kFixed;
  vvar.object = object;
  vvar.pgoff = 0;
  vvar.vma_flags = mm::vma_flags::kVvar;
  mm::MapRequest text;
  text.addr = start + kPageSize;
  text.length = text_len;
  text.prot = mm::prot::kRead | mm::prot::kExec;
  text.map_flags = mm::map::kFixed;
  text.object = object;
  text.pgoff = 1;
  text.vma_flags = mm::vma_flags::kVdso;
  Result<u64> r = as.Map(vvar);
  if (r.ok()) r = as.Map(text);
  if (r.is_error()) {
    (void)as.Unmap(start, all.length);
    return r.error();
  }
  return start + kPageSize;
}

void UpdateVvar() {
  if (g_live == nullptr) return;
  AramidVvar& v = g_live->vvar();
  hal::IrqGuard guard;
  __atomic_store_n(&v.seq, v.seq + 1, __ATOMIC_RELEASE);
  // The TSC fast path where the HAL's clock is the TSC; the system call elsewhere (hostsim,
  // an HPET clock).
  const hal::UserClock uc = hal::Clock::UserReadable();
  v.mode = uc.tsc ? kAramidVvarModeTsc : kAramidVvarModeSyscall;
  v.tsc_base = uc.tsc_base;
  v.mono_base_ns = uc.mono_base_ns;
  v.tsc_mult = uc.mult;
  v.tsc_shift = uc.shift;
  v.realtime_offset_ns = time::RealtimeOffsetNs();
  v.boottime_offset_ns = 0;
  v.cpu_count = 1;  // the kernel runs on one CPU (TODO(#8): the real count once SMP comes)
  __atomic_store_n(&v.seq, v.seq + 1, __ATOMIC_RELEASE);
}

}  // namespace kernel::vdso
