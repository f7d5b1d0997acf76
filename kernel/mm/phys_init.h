#pragma once
/// Bringing up physical memory: the page allocator, then the heap on top of it.
namespace kernel::mm {

/// Builds the Page array and the buddy free lists from hal::Phys::UsableRanges() and starts
/// the heap. The kernel calls it once, before anything allocates. hostsim tests that build a
/// new machine call it again, which forgets every earlier page and heap allocation.
void InitPhysicalMemory();

}  // namespace kernel::mm
