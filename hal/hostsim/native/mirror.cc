// See mirror.h.
#include "hal/hostsim/native/mirror.h"

#include <algorithm>

namespace hal::hostsim::native {
namespace {
constexpr uint64_t kPage = 4096;
}

const Mirror::Page* Mirror::Find(uint64_t va) const {
  auto it = pages_.find(va);
  return it == pages_.end() ? nullptr : &it->second;
}

void Mirror::Filled(uint64_t va, uint64_t phys, int prot) { pages_[va] = Page{phys, prot}; }

void Mirror::Invalidate(uint64_t va) {
  if (pages_.erase(va) != 0) dirty_.push_back(va);
}

void Mirror::Reprotect(uint64_t va, int prot) {
  auto it = pages_.find(va);
  if (it == pages_.end() || it->second.prot == prot) return;
  it->second.prot = prot;
  dirty_.push_back(va);
}

void Mirror::Forget() {
  pages_.clear();
  dirty_.clear();
}

std::vector<MirrorOp> Mirror::TakePending() {
  std::vector<MirrorOp> ops;
  std::sort(dirty_.begin(), dirty_.end());
  dirty_.erase(std::unique(dirty_.begin(), dirty_.end()), dirty_.end());
  for (uint64_t va : dirty_) {
    const Page* p = Find(va);
    MirrorOp op = p == nullptr ? MirrorOp{MirrorOp::Kind::kUnmap, va, kPage, 0, 0}
                               : MirrorOp{MirrorOp::Kind::kProtect, va, kPage, p->prot, 0};
    if (!ops.empty()) {
      MirrorOp& last = ops.back();
      if (last.kind == op.kind && last.prot == op.prot && last.va + last.len == va) {
        last.len += kPage;
        continue;
      }
    }
    ops.push_back(op);
  }
  dirty_.clear();
  return ops;
}

std::vector<MirrorOp> Mirror::PlanMaps(std::vector<MirrorOp> fills) {
  std::sort(fills.begin(), fills.end(),
            [](const MirrorOp& a, const MirrorOp& b) { return a.va < b.va; });
  std::vector<MirrorOp> ops;
  for (const MirrorOp& f : fills) {
    if (!ops.empty()) {
      MirrorOp& last = ops.back();
      if (last.prot == f.prot && last.va + last.len == f.va && last.phys + last.len == f.phys) {
        last.len += f.len;
        continue;
      }
    }
    ops.push_back(f);
  }
  return ops;
}

}  // namespace hal::hostsim::native
