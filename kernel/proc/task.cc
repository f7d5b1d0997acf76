#include "kernel/proc/task.h"

#include <hal/interrupts.h>

#include "kernel/fs/fd_table.h"
#include "kernel/fs/fs_context.h"
#include "kernel/lib/alloc.h"
#include "kernel/mm/address_space.h"
#include "kernel/proc/scheduler.h"

namespace kernel::proc {

Result<Task*> Task::Create(const char* name, Entry entry, void* arg) {
  void* stack = lib::Allocate(hal::Cpu::kKernelStackSize, kPageSize);
  if (stack == nullptr) return Errno::kENOMEM;
  void* mem = lib::Allocate(sizeof(Task), alignof(Task));
  if (mem == nullptr) {
    lib::Free(stack);
    return Errno::kENOMEM;
  }
  auto* task = new (mem) Task();
  task->kernel_stack_ = stack;
  task->entry_ = entry;
  task->entry_arg_ = arg;
  task->SetName(name);
  hal::Cpu::InitKernelContext(task->kernel_, stack, hal::Cpu::kKernelStackSize, &Task::Start, task);
  hal::Cpu::InitFpu(task->user_);
  return task;
}

Result<Task*> Task::AdoptCurrentContext(const char* name) {
  void* mem = lib::Allocate(sizeof(Task), alignof(Task));
  if (mem == nullptr) return Errno::kENOMEM;
  auto* task = new (mem) Task();
  task->SetName(name);
  hal::Cpu::InitFpu(task->user_);
  return task;
}

void Task::Start(void* arg) {
  auto* task = static_cast<Task*>(arg);
  // We arrive here from a context switch made with interrupts off, not from the return path
  // of SwitchTo: finish what that path would have done.
  sched::internal::FinishSwitch();
  hal::Interrupts::Enable();
  task->entry_(task->entry_arg_);
  Panic("task %d (%s) returned from its entry", task->tid_, task->name_);
}

void Task::Destroy(Task* task) {
  if (task == nullptr) return;
  task->~Task();
  lib::Free(task);
}

Task::~Task() { ReleaseKernelStack(); }

void Task::ReleaseKernelStack() {
  lib::Free(kernel_stack_);
  kernel_stack_ = nullptr;
}

void Task::set_fd_table(lib::RefPtr<fs::FdTable> table) { fd_table_ = lib::move(table); }
void Task::set_fs_context(lib::RefPtr<fs::FsContext> context) { fs_context_ = lib::move(context); }

hal::PageTableRoot Task::page_table_root() const {
  return address_space_ ? address_space_->root() : hal::PageTableRoot{};
}

void Task::SetAddressSpace(lib::RefPtr<mm::AddressSpace> as) {
  lib::RefPtr<mm::AddressSpace> old = lib::move(address_space_);
  address_space_ = lib::move(as);
  if (sched::Current() == this) hal::Mmu::Activate(page_table_root());
}

void Task::SetName(const char* name) {
  usize i = 0;
  for (; name != nullptr && name[i] != '\0' && i + 1 < sizeof(name_); ++i) name_[i] = name[i];
  name_[i] = '\0';
}

void Task::RecordSyscall(const SyscallRecord& r) {
  syscalls_[syscall_count_ % kSyscallHistory] = r;
  ++syscall_count_;
}

}  // namespace kernel::proc
