#pragma once
// The local APIC, in x2APIC mode (MSRs) when the CPU has it, else xAPIC (MMIO)
// [intel-sdm 3 §11].
#include "hal/x86_64/cpu/x86.h"

namespace hal::x86_64 {

// Register offsets (xAPIC MMIO; x2APIC MSR = 0x800 + offset/16).
inline constexpr u32 kLapicId = 0x20, kLapicTpr = 0x80, kLapicEoi = 0xb0, kLapicSvr = 0xf0,
                     kLapicEsr = 0x280, kLapicLvtTimer = 0x320, kLapicLvtLint0 = 0x350,
                     kLapicLvtLint1 = 0x360, kLapicLvtError = 0x370, kLapicTimerInitial = 0x380,
                     kLapicTimerCurrent = 0x390, kLapicTimerDivide = 0x3e0;

/// Enables the local APIC; false when the CPU has none.
bool InitLapic();
bool LapicPresent();
bool LapicX2();
u32 LapicRead(u32 reg);
void LapicWrite(u32 reg, u32 value);
void LapicEoi();
u32 LapicId();

}  // namespace hal::x86_64
