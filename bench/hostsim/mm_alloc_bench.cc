// Physical page allocation and the kernel heap on hostsim: the paths every page fault, fork
// and kernel object goes through.
#include <benchmark/benchmark.h>

#include "kernel/lib/alloc.h"
#include "kernel/mm/page_alloc.h"

namespace {

using kernel::i64;
using kernel::u64;
using kernel::usize;

namespace mm = kernel::mm;

void BM_AllocFreePage(benchmark::State& state) {
  const unsigned order = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    auto pa = mm::AllocPages(order);
    if (!pa.ok()) {
      state.SkipWithError("out of memory");
      break;
    }
    benchmark::DoNotOptimize(pa.value());
    mm::FreePages(pa.value(), order);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AllocFreePage)->Arg(0)->Arg(4)->Arg(10);

void BM_AllocZeroedPage(benchmark::State& state) {
  for (auto _ : state) {
    auto pa = mm::AllocZeroedPage();
    if (!pa.ok()) {
      state.SkipWithError("out of memory");
      break;
    }
    mm::FreePage(pa.value());
  }
  state.SetBytesProcessed(state.iterations() * 4096);
}
BENCHMARK(BM_AllocZeroedPage);

// Many pages live at once: the buddy lists are deep and blocks split and merge.
void BM_AllocPagesBatch(benchmark::State& state) {
  const usize n = static_cast<usize>(state.range(0));
  kernel::PhysAddr pages[1024];
  for (auto _ : state) {
    for (usize i = 0; i < n; ++i) pages[i] = mm::AllocPage().value();
    for (usize i = 0; i < n; ++i) mm::FreePage(pages[(i * 7) % n]);  // n is a power of two
  }
  state.SetItemsProcessed(state.iterations() * static_cast<i64>(n));
}
BENCHMARK(BM_AllocPagesBatch)->Arg(64)->Arg(1024);

void BM_GetPutPage(benchmark::State& state) {
  kernel::PhysAddr pa = mm::AllocPage().value();
  for (auto _ : state) {
    mm::GetPage(pa);  // what a copy-on-write share does
    mm::PutPage(pa);
  }
  mm::FreePage(pa);
}
BENCHMARK(BM_GetPutPage);

void BM_HeapAllocFree(benchmark::State& state) {
  const usize size = static_cast<usize>(state.range(0));
  for (auto _ : state) {
    void* p = kernel::lib::Allocate(size);
    if (p == nullptr) {
      state.SkipWithError("out of memory");
      break;
    }
    benchmark::DoNotOptimize(p);
    kernel::lib::Free(p);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HeapAllocFree)->Arg(16)->Arg(128)->Arg(2048)->Arg(8192);

void BM_HeapManyLive(benchmark::State& state) {
  void* live[512];
  for (auto _ : state) {
    for (auto& p : live) p = kernel::lib::Allocate(96);
    for (auto& p : live) kernel::lib::Free(p);
  }
  state.SetItemsProcessed(state.iterations() * 512);
}
BENCHMARK(BM_HeapManyLive);

}  // namespace
