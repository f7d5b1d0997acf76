#pragma once
/// The kernel's random bytes (getrandom, AT_RANDOM): a ChaCha20 keystream [RFC 8439] keyed
/// once from the clocks. On hostsim the clocks are virtual, so a run's random bytes are as
/// reproducible as the rest of it; on x86_64 the TSC at first use is the only entropy.
/// TODO(#5): mix in RDRAND/RDSEED and interrupt timing through a HAL entropy source.
#include "kernel/lib/types.h"

namespace kernel::random {

/// Fills `buf` with `n` random bytes. Never fails, never blocks.
void GetBytes(void* buf, usize n);

/// Keys the generator from `seed` alone, so that everything random afterwards (AT_RANDOM,
/// getrandom, /dev/urandom) is a function of it: hostsim's `--seed`.
void Seed(u64 seed);

/// Forgets the key, so the next call keys afresh (hostsim tests that rebuild the machine).
void ResetForTesting();

}  // namespace kernel::random
