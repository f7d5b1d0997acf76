// ACPI static tables [acpi 6.4 §5.2.5 RSDP, §5.2.7 RSDT, §5.2.8 XSDT, §5.2.9 FADT,
// §5.2.12 MADT; IA-PC HPET spec §3.2.4].
#include "hal/x86_64/acpi/acpi.h"

#include <hal/phys.h>

#include "hal/x86_64/boot/boot_info.h"

namespace hal::x86_64 {
namespace {

AcpiInfo g_acpi;
constexpr u64 k4G = 1ull << 32;

struct [[gnu::packed]] Rsdp {
  char signature[8];
  u8 checksum;
  char oem_id[6];
  u8 revision;
  u32 rsdt;
  u32 length;  // revision >= 2 from here
  u64 xsdt;
  u8 extended_checksum;
  u8 reserved[3];
};

struct [[gnu::packed]] SdtHeader {
  char signature[4];
  u32 length;
  u8 revision, checksum;
  char oem_id[6], oem_table_id[8];
  u32 oem_revision, creator_id, creator_revision;
};

template <typename T>
const T* At(u64 phys) {
  return reinterpret_cast<const T*>(kDirectMapBase + phys);
}

bool Checksum(const void* p, usize n) {
  u8 sum = 0;
  for (usize i = 0; i < n; ++i) sum = static_cast<u8>(sum + static_cast<const u8*>(p)[i]);
  return sum == 0;
}

bool SignatureIs(const char* a, const char* b, usize n) {
  for (usize i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

const Rsdp* ScanForRsdp(u64 base, u64 len) {
  for (u64 p = base; p + 20 <= base + len; p += 16) {
    const auto* r = At<Rsdp>(p);
    if (SignatureIs(r->signature, "RSD PTR ", 8) && Checksum(r, 20)) return r;
  }
  return nullptr;
}

const Rsdp* FindRsdp() {
  const BootInfo& bi = GetBootInfo();
  if (bi.has_rsdp_copy) {
    const auto* r = reinterpret_cast<const Rsdp*>(bi.rsdp_copy);
    if (SignatureIs(r->signature, "RSD PTR ", 8) && Checksum(r, 20)) return r;
  }
  if (bi.rsdp_phys != 0 && bi.rsdp_phys < k4G) {
    const auto* r = At<Rsdp>(bi.rsdp_phys);
    if (SignatureIs(r->signature, "RSD PTR ", 8) && Checksum(r, 20)) return r;
  }
  // BIOS: the first KiB of the EBDA, then 0xe0000-0xfffff [acpi 6.4 §5.2.5.1].
  u64 ebda = u64{*At<u16>(0x40e)} << 4;
  if (ebda >= 0x80000 && ebda < 0xa0000) {
    if (const Rsdp* r = ScanForRsdp(ebda, 1024)) return r;
  }
  return ScanForRsdp(0xe0000, 0x20000);
}

void ParseMadt(const SdtHeader* h) {
  g_acpi.madt_found = true;
  const u8* p = reinterpret_cast<const u8*>(h);
  g_acpi.lapic_phys = *reinterpret_cast<const u32*>(p + 36);
  g_acpi.has_8259 = *reinterpret_cast<const u32*>(p + 40) & 1;
  for (u32 off = 44; off + 2 <= h->length;) {
    u8 type = p[off], len = p[off + 1];
    if (len < 2 || off + len > h->length) break;
    const u8* e = p + off;
    if (type == 1 && len >= 12 && g_acpi.ioapic_count < 8) {
      g_acpi.ioapics[g_acpi.ioapic_count++] = {e[2], *reinterpret_cast<const u32*>(e + 4),
                                               *reinterpret_cast<const u32*>(e + 8)};
    } else if (type == 2 && len >= 10 && g_acpi.override_count < 16) {
      g_acpi.overrides[g_acpi.override_count++] = {e[3], *reinterpret_cast<const u32*>(e + 4),
                                                   *reinterpret_cast<const u16*>(e + 8)};
    } else if (type == 5 && len >= 12) {
      g_acpi.lapic_phys = *reinterpret_cast<const u64*>(e + 4);
    }
    off += len;
  }
}

// _S5_ in the DSDT: NameOp "_S5_" PackageOp PkgLength NumElements then SLP_TYPa, SLP_TYPb as
// ZeroOp/OneOp/BytePrefix constants [acpi 6.4 §20.2.5].
void FindS5(const SdtHeader* dsdt) {
  const u8* p = reinterpret_cast<const u8*>(dsdt);
  for (u32 i = sizeof(SdtHeader); i + 12 < dsdt->length; ++i) {
    if (!(p[i] == '_' && p[i + 1] == 'S' && p[i + 2] == '5' && p[i + 3] == '_')) continue;
    if (!(p[i - 1] == 0x08 || (p[i - 2] == 0x08 && p[i - 1] == '\\'))) continue;
    u32 j = i + 4;
    if (p[j++] != 0x12) continue;   // PackageOp
    j += ((p[j] & 0xc0) >> 6) + 1;  // PkgLength
    ++j;                            // NumElements
    u8 values[2] = {0, 0};
    for (int k = 0; k < 2; ++k) {
      if (p[j] == 0x0a) {  // BytePrefix
        values[k] = p[j + 1];
        j += 2;
      } else {  // ZeroOp (0), OneOp (1), or a bare byte
        values[k] = p[j] == 0xff ? 0 : p[j];
        j += 1;
      }
    }
    g_acpi.s5_found = true;
    g_acpi.s5_slp_typ_a = values[0];
    g_acpi.s5_slp_typ_b = values[1];
    return;
  }
}

void ParseFadt(const SdtHeader* h) {
  g_acpi.fadt_found = true;
  const u8* p = reinterpret_cast<const u8*>(h);
  auto u32_at = [&](u32 off) {
    return off + 4 <= h->length ? *reinterpret_cast<const u32*>(p + off) : 0u;
  };
  g_acpi.pm1a_cnt = static_cast<u16>(u32_at(64));
  g_acpi.pm1b_cnt = static_cast<u16>(u32_at(68));
  if (h->length > 108) g_acpi.century_reg = p[108];
  if (h->length > 110) g_acpi.boot_arch = *reinterpret_cast<const u16*>(p + 109);
  g_acpi.hw_reduced = u32_at(112) & (1u << 20);
  if (h->length >= 256) {  // SLEEP_CONTROL_REG, a Generic Address Structure at 244
    g_acpi.sleep_ctl_space = p[244];
    g_acpi.sleep_ctl_addr = *reinterpret_cast<const u64*>(p + 248);
  }
  u64 dsdt = u32_at(40);
  if (h->length >= 148 && *reinterpret_cast<const u64*>(p + 140) != 0) {
    dsdt = *reinterpret_cast<const u64*>(p + 140);
  }
  if (dsdt != 0 && dsdt < k4G && SignatureIs(At<SdtHeader>(dsdt)->signature, "DSDT", 4)) {
    FindS5(At<SdtHeader>(dsdt));
  }
}

void ParseTable(u64 phys) {
  if (phys == 0 || phys >= k4G) return;
  const auto* h = At<SdtHeader>(phys);
  if (!Checksum(h, h->length)) return;
  if (SignatureIs(h->signature, "APIC", 4)) {
    ParseMadt(h);
  } else if (SignatureIs(h->signature, "FACP", 4)) {
    ParseFadt(h);
  } else if (SignatureIs(h->signature, "HPET", 4) && h->length >= 56) {
    g_acpi.hpet_phys = *reinterpret_cast<const u64*>(reinterpret_cast<const u8*>(h) + 44);
  }
}

}  // namespace

void ParseAcpi() {
  const Rsdp* rsdp = FindRsdp();
  if (rsdp == nullptr) return;
  g_acpi.found = true;
  g_acpi.revision = rsdp->revision;
  if (rsdp->revision >= 2 && rsdp->xsdt != 0 && rsdp->xsdt < k4G) {
    const auto* x = At<SdtHeader>(rsdp->xsdt);
    const u8* entries = reinterpret_cast<const u8*>(x) + sizeof(SdtHeader);
    for (u32 off = 0; off + 8 <= x->length - sizeof(SdtHeader); off += 8) {
      ParseTable(*reinterpret_cast<const u64*>(entries + off));
    }
  } else if (rsdp->rsdt != 0) {
    const auto* r = At<SdtHeader>(rsdp->rsdt);
    const u8* entries = reinterpret_cast<const u8*>(r) + sizeof(SdtHeader);
    for (u32 off = 0; off + 4 <= r->length - sizeof(SdtHeader); off += 4) {
      ParseTable(*reinterpret_cast<const u32*>(entries + off));
    }
  }
}

const AcpiInfo& Acpi() { return g_acpi; }

}  // namespace hal::x86_64
