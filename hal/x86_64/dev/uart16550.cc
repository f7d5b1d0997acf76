// 16550 UART on COM1/COM2: polled output, interrupt-driven input (IRQ 4 / IRQ 3) delivered to
// hal::hooks::OnConsoleInput [pc16550d datasheet].
#include "hal/x86_64/dev/uart16550.h"

#include <hal/backend/io.h>
#include <hal/console.h>
#include <hal/kernel_hooks.h>

#include "hal/x86_64/irq/irq.h"

namespace hal::x86_64 {
namespace {

constexpr kernel::u16 kPortBase[kConsolePorts] = {0x3f8, 0x2f8};
constexpr unsigned kPortIrq[kConsolePorts] = {4, 3};
// Register offsets.
constexpr kernel::u16 kData = 0, kIer = 1, kFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5, kScratch = 7;
constexpr kernel::u8 kLsrDataReady = 1 << 0, kLsrTxEmpty = 1 << 5;
constexpr kernel::u8 kIerRxAvailable = 1 << 0;

bool g_probed[kConsolePorts];
bool g_present[kConsolePorts];
UartStats g_stats[kConsolePorts];

void Probe(unsigned port) {
  kernel::u16 base = kPortBase[port];
  g_probed[port] = true;
  // A UART has a scratch register that holds what was written; an absent one reads 0xff.
  Out8(base + kScratch, 0x5a);
  if (In8(base + kScratch) != 0x5a) return;
  Out8(base + kIer, 0x00);   // no interrupts yet
  Out8(base + kLcr, 0x80);   // DLAB
  Out8(base + kData, 0x01);  // divisor 1: 115200 baud
  Out8(base + kIer, 0x00);
  Out8(base + kLcr, 0x03);  // 8N1
  Out8(base + kFcr, 0xc7);  // FIFO on, cleared, 14-byte threshold
  Out8(base + kMcr, 0x0b);  // DTR, RTS, OUT2 (OUT2 gates the IRQ line on PCs)
  g_present[port] = true;
}

void OnIrq(unsigned vector) {
  for (unsigned port = 0; port < kConsolePorts; ++port) {
    if (!g_present[port] || vector != kIsaVectorBase + kPortIrq[port]) continue;
    kernel::u16 base = kPortBase[port];
    // Drain the FIFO (bounded: a stuck LSR must not wedge the interrupt handler).
    ++g_stats[port].interrupts;
    for (int i = 0; i < 64 && (In8(base + kLsr) & kLsrDataReady); ++i) {
      kernel::u8 byte = In8(base + kData);
      UartStats& st = g_stats[port];
      st.recent[st.received % sizeof(st.recent)] = byte;
      ++st.received;
      hal::hooks::OnConsoleInput(port, byte);
    }
  }
}

}  // namespace

bool Console::Present(unsigned port) {
  if (port >= kConsolePorts) return false;
  if (!g_probed[port]) Probe(port);
  return g_present[port];
}

void Console::Write(unsigned port, const char* data, kernel::usize n) {
  if (!Present(port)) return;
  kernel::u16 base = kPortBase[port];
  for (kernel::usize i = 0; i < n; ++i) {
    for (int spin = 0; spin < 100000 && !(In8(base + kLsr) & kLsrTxEmpty); ++spin) {
    }
    Out8(base + kData, static_cast<kernel::u8>(data[i]));
  }
}

void Console::EnableInput(unsigned port) {
  if (!Present(port)) return;
  EnableIsaIrq(kPortIrq[port], OnIrq);
  Out8(kPortBase[port] + kIer, kIerRxAvailable);
  // Bytes that arrived before the interrupt was enabled would never raise one.
  OnIrq(kIsaVectorBase + kPortIrq[port]);
  g_stats[port].interrupts = 0;
}

const UartStats& GetUartStats(unsigned port) { return g_stats[port < kConsolePorts ? port : 0]; }

}  // namespace hal::x86_64
