#pragma once
/// The serial terminals: ttyS0 and ttyS1 on the HAL's console ports, with /dev/console as
/// ttyS0. Input arrives in interrupt context through hal::hooks::OnConsoleInput: it is put in
/// a fixed ring (bytes are dropped when it is full, never the kernel's state) and a worker
/// task runs the line discipline in process context, where echoing and signalling may sleep
/// or allocate [linux tty_flip_buffer_push + flush_to_ldisc].
#include "kernel/lib/result.h"
#include "kernel/tty/tty.h"

namespace kernel::tty {

inline constexpr unsigned kSerialPorts = 2;

/// The terminal on console port `port` (0: ttyS0), or null when the port does not exist.
Tty* SerialTty(unsigned port);

/// Creates the input worker and enables input on the ports. Call once the scheduler runs.
Result<void> InitSerial();

/// From the console interrupt (interrupts off): queue one received byte. Never blocks.
void OnConsoleInput(unsigned port, u8 byte);

/// Bytes dropped so far because the input ring was full (flood accounting; tests).
u64 SerialDroppedBytes(unsigned port);

/// Moves queued input into the terminals (the worker's body; tests call it directly).
void DrainSerialInput();

}  // namespace kernel::tty
