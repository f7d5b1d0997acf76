#include "kernel/proc/pid_table.h"

#include "kernel/lib/hash_map.h"
#include "kernel/proc/process.h"

namespace kernel::proc {
namespace {

lib::HashMap<Pid, Task*> g_tasks;
Pid g_last = 0;

}  // namespace

Result<Pid> AllocatePid(Task& task) {
  if (g_tasks.empty()) g_last = 0;
  if (g_tasks.size() >= static_cast<usize>(kPidMax - 1)) return Errno::kEAGAIN;
  Pid pid = g_last;
  do {
    pid = pid >= kPidMax - 1 ? 1 : pid + 1;
  } while (g_tasks.Contains(pid));
  TRY(g_tasks.TryInsert(pid, &task));
  g_last = pid;
  task.set_tid(pid);
  return pid;
}

Result<Pid> AllocatePidExactly(Task& task, Pid tid) {
  if (g_tasks.Contains(tid)) return Errno::kEEXIST;
  TRY(g_tasks.TryInsert(tid, &task));
  task.set_tid(tid);
  return tid;
}

void ReleasePid(Pid tid) { g_tasks.Erase(tid); }

void RebindPid(Pid tid, Task& task) {
  Task** slot = g_tasks.Find(tid);
  if (slot != nullptr) *slot = &task;
  task.set_tid(tid);
}

Task* FindTask(Pid tid) {
  Task** t = g_tasks.Find(tid);
  return t != nullptr ? *t : nullptr;
}

Process* FindProcess(Pid pid) {
  Task* t = FindTask(pid);
  if (t == nullptr || t->process() == nullptr || t->process()->pid() != pid) return nullptr;
  return t->process();
}

usize TaskCount() { return g_tasks.size(); }

void ForEachTask(void (*f)(Task&, void*), void* ctx) {
  for (auto& e : g_tasks) f(*e.value, ctx);
}

}  // namespace kernel::proc
