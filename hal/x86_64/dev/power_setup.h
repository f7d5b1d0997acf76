#pragma once
// Power-off needs the ACPI sleep registers mapped before anything can go wrong.
namespace hal::x86_64 {
/// Maps the hardware-reduced ACPI sleep control register when there is one. After ParseAcpi
/// and the kernel page tables.
void InitPower();
}  // namespace hal::x86_64
