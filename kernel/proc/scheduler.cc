// Round-robin scheduling on one CPU. The running task is never on the run queue.
//
// Interrupt safety: Wake() and OnTick() run in interrupt context, so every access to the run
// queue and to task states happens with interrupts off.
#include "kernel/proc/scheduler.h"

#include <hal/cpu.h>
#include <hal/interrupts.h>
#include <hal/mmu.h>

#include "kernel/lib/intrusive_list.h"
#include "kernel/time/clocks.h"
#include "kernel/time/timer.h"

namespace kernel::proc::sched {
namespace {

lib::IntrusiveList<Task, &Task::run_node_> g_run_queue;
Task* g_current = nullptr;
// A dead task whose kernel stack we were still running on when we switched away.
Task* g_dead = nullptr;
u64 g_switches = 0;

void SwitchTo(Task& next) {
  Task* prev = g_current;
  if (prev == &next) return;
  g_current = &next;
  next.time_slice_ticks_ = kTimeSliceTicks;
  next.need_resched_ = false;
  ++g_switches;
  time::AccountSwitch(*prev, next, time::MonotonicNs());
  // The FPU holds the user state of whichever task last ran in user mode; save it with the
  // task being left and load the next one's. User copies and faults see next's memory.
  hal::Cpu::SaveFpu(prev->user_context());
  hal::Cpu::RestoreFpu(next.user_context());
  hal::Mmu::Activate(next.page_table_root());
  hal::Cpu::SwitchContext(prev->kernel_context(), next.kernel_context());
  internal::FinishSwitch();
}

// Nothing to run: wait for an interrupt to make something runnable.
void IdleOnce() {
  hal::Interrupts::Enable();
  hal::Cpu::Idle();
  hal::Interrupts::Disable();
}

}  // namespace

namespace internal {
// Runs first thing on whichever stack we land on after a switch.
void FinishSwitch() {
  if (g_dead != nullptr && g_dead != g_current) {
    g_dead->ReleaseKernelStack();
    g_dead = nullptr;
  }
}
}  // namespace internal

}  // namespace kernel::proc::sched

namespace kernel::proc {
void InstallMutexHooks();  // kernel/proc/mutex_hooks.cc
}

namespace kernel::proc::sched {

void Init(Task& boot_task) {
  InstallMutexHooks();
  g_current = &boot_task;
  boot_task.set_state(TaskState::kRunnable);
  boot_task.time_slice_ticks_ = kTimeSliceTicks;
}

Task* Current() { return g_current; }

void MakeRunnable(Task& task) {
  hal::IrqGuard guard;
  task.set_state(TaskState::kRunnable);
  if (&task != g_current && !task.run_node_.linked()) g_run_queue.PushBack(task);
}

void Yield() {
  hal::IrqGuard guard;
  Task* next = g_run_queue.PopFront();
  if (next == nullptr) {
    g_current->need_resched_ = false;
    return;
  }
  g_run_queue.PushBack(*g_current);
  SwitchTo(*next);
}

void Block() {
  hal::IrqGuard guard;
  Task* self = g_current;
  for (;;) {
    if (self->state() == TaskState::kRunnable) return;
    Task* next = g_run_queue.PopFront();
    if (next != nullptr) {
      SwitchTo(*next);
      continue;  // someone switched back to us: we were made runnable
    }
    IdleOnce();
  }
}

void Wake(Task& task) {
  hal::IrqGuard guard;
  if (task.state() != TaskState::kBlocked) return;
  task.set_state(TaskState::kRunnable);
  if (&task != g_current && !task.run_node_.linked()) g_run_queue.PushBack(task);
}

void ExitCurrent() {
  hal::Interrupts::Disable();
  Task* self = g_current;
  self->set_state(TaskState::kDead);
  g_dead = self;
  for (;;) {
    Task* next = g_run_queue.PopFront();
    if (next != nullptr) SwitchTo(*next);  // never returns here: nobody runs a dead task
    IdleOnce();
  }
}

void OnTick() {
  Task* cur = g_current;
  if (cur == nullptr) return;
  if (cur->time_slice_ticks_ > 0) --cur->time_slice_ticks_;
  if (cur->time_slice_ticks_ == 0 && !g_run_queue.empty()) cur->need_resched_ = true;
}

bool NeedResched() { return g_current != nullptr && g_current->need_resched_; }

u64 ContextSwitches() { return g_switches; }

}  // namespace kernel::proc::sched
