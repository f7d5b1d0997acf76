#include "kernel/tty/serial.h"

#include <hal/console.h>
#include <hal/interrupts.h>

#include "kernel/debug/log.h"
#include "kernel/proc/scheduler.h"
#include "kernel/proc/wait_queue.h"

namespace kernel::tty {
namespace {

class SerialDriver final : public TtyDriver {
 public:
  explicit SerialDriver(unsigned port) : port_(port) {}
  usize Write(const u8* data, usize n) override {
    hal::Console::Write(port_, reinterpret_cast<const char*>(data), n);
    return n;
  }

 private:
  unsigned port_;
};

// One producer (the interrupt), one consumer (the worker, with interrupts off while it
// takes bytes out).
struct InputRing {
  static constexpr usize kSize = 4096;
  u8 bytes[kSize];
  usize head = 0;  // next byte to take
  usize count = 0;
  u64 dropped = 0;
};

struct SerialPort {
  SerialDriver driver;
  Tty tty;
  InputRing ring;
  explicit SerialPort(unsigned port, const char* name) : driver(port), tty(driver, name) {}
};

SerialPort* g_ports[kSerialPorts] = {};
proc::WaitQueue g_input_wait;
bool g_worker_started = false;

SerialPort* Port(unsigned port) {
  static SerialPort s0(0, "ttyS0");
  static SerialPort s1(1, "ttyS1");
  if (port >= kSerialPorts) return nullptr;
  if (g_ports[port] == nullptr) g_ports[port] = port == 0 ? &s0 : &s1;
  return g_ports[port];
}

bool AnyInput() {
  hal::IrqGuard guard;
  for (SerialPort* p : g_ports) {
    if (p != nullptr && p->ring.count > 0) return true;
  }
  return false;
}

void Worker(void*) {
  for (;;) {
    g_input_wait.Wait(AnyInput);
    DrainSerialInput();
  }
}

}  // namespace

Tty* SerialTty(unsigned port) {
  if (port >= kSerialPorts || !hal::Console::Present(port)) return nullptr;
  return &Port(port)->tty;
}

void OnConsoleInput(unsigned port, u8 byte) {
  if (port >= kSerialPorts) return;
  SerialPort* p = g_ports[port];
  if (p == nullptr) return;  // not initialised: nobody could read it anyway
  InputRing& r = p->ring;
  if (r.count == InputRing::kSize) {
    ++r.dropped;
    return;
  }
  r.bytes[(r.head + r.count) % InputRing::kSize] = byte;
  ++r.count;
  if (g_worker_started) g_input_wait.WakeAll();
}

u64 SerialDroppedBytes(unsigned port) {
  return port < kSerialPorts && g_ports[port] != nullptr ? g_ports[port]->ring.dropped : 0;
}

void DrainSerialInput() {
  for (SerialPort* p : g_ports) {
    if (p == nullptr) continue;
    for (;;) {
      u8 chunk[128];
      usize n = 0;
      {
        hal::IrqGuard guard;
        InputRing& r = p->ring;
        while (n < sizeof(chunk) && r.count > 0) {
          chunk[n++] = r.bytes[r.head];
          r.head = (r.head + 1) % InputRing::kSize;
          --r.count;
        }
      }
      if (n == 0) break;
      p->tty.Receive(chunk, n);
    }
  }
}

Result<void> InitSerial() {
  for (unsigned i = 0; i < kSerialPorts; ++i) {
    if (hal::Console::Present(i)) (void)Port(i);
  }
  if (!g_worker_started) {
    proc::Task* t = TRY(proc::Task::Create("tty-input", &Worker, nullptr));
    g_worker_started = true;
    proc::sched::MakeRunnable(*t);
  }
  for (unsigned i = 0; i < kSerialPorts; ++i) {
    if (g_ports[i] != nullptr) hal::Console::EnableInput(i);
  }
  return Ok();
}

}  // namespace kernel::tty
