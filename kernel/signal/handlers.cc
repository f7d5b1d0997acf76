#include "kernel/lib/alloc.h"
#include "kernel/signal/state.h"

namespace kernel::signal {

DefaultAction DefaultActionOf(int sig) {
  switch (sig) {
    case kSigQuit:
    case kSigIll:
    case kSigTrap:
    case kSigAbrt:
    case kSigBus:
    case kSigFpe:
    case kSigSegv:
    case kSigXcpu:
    case kSigXfsz:
    case kSigSys:
      return DefaultAction::kCoreDump;
    case kSigChld:
    case kSigUrg:
    case kSigWinch:
      return DefaultAction::kIgnore;
    case kSigStop:
    case kSigTstp:
    case kSigTtin:
    case kSigTtou:
      return DefaultAction::kStop;
    case kSigCont:
      return DefaultAction::kContinue;
    default:
      return DefaultAction::kTerminate;  // the rest, real-time signals included
  }
}

Result<lib::RefPtr<Handlers>> Handlers::Create() {
  Handlers* h = TRY(lib::TryNew<Handlers>());
  return lib::AdoptRef(h);
}

Result<lib::RefPtr<Handlers>> Handlers::Clone() const {
  lib::RefPtr<Handlers> copy = TRY(Create());
  for (int i = 0; i < kNumSignals; ++i) copy->actions_[i] = actions_[i];
  return copy;
}

void Handlers::ResetOnExec() {
  for (KSigaction& a : actions_) {
    u64 handler = a.handler == kSigIgn ? kSigIgn : kSigDfl;
    a = KSigaction{handler, 0, 0, 0};
  }
}

bool Handlers::IsIgnored(int sig) const {
  const KSigaction& a = Get(sig);
  if (a.handler == kSigIgn) return true;
  if (a.handler != kSigDfl) return false;
  DefaultAction d = DefaultActionOf(sig);
  return d == DefaultAction::kIgnore || d == DefaultAction::kContinue;
}

}  // namespace kernel::signal
