#include "kernel/random/random.h"

#include <hal/clock.h>

namespace kernel::random {
namespace {

constexpr u32 Rotl(u32 v, int c) { return (v << c) | (v >> (32 - c)); }

void QuarterRound(u32* x, int a, int b, int c, int d) {
  x[a] += x[b];
  x[d] = Rotl(x[d] ^ x[a], 16);
  x[c] += x[d];
  x[b] = Rotl(x[b] ^ x[c], 12);
  x[a] += x[b];
  x[d] = Rotl(x[d] ^ x[a], 8);
  x[c] += x[d];
  x[b] = Rotl(x[b] ^ x[c], 7);
}

// One 64-byte ChaCha20 block for (key, counter, nonce) [RFC 8439 §2.3].
void Block(const u32 key[8], u64 counter, u32 out[16]) {
  u32 state[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
  for (int i = 0; i < 8; ++i) state[4 + i] = key[i];
  state[12] = static_cast<u32>(counter);
  state[13] = static_cast<u32>(counter >> 32);
  state[14] = 0;
  state[15] = 0;
  u32 x[16];
  for (int i = 0; i < 16; ++i) x[i] = state[i];
  for (int round = 0; round < 10; ++round) {
    QuarterRound(x, 0, 4, 8, 12);
    QuarterRound(x, 1, 5, 9, 13);
    QuarterRound(x, 2, 6, 10, 14);
    QuarterRound(x, 3, 7, 11, 15);
    QuarterRound(x, 0, 5, 10, 15);
    QuarterRound(x, 1, 6, 11, 12);
    QuarterRound(x, 2, 7, 8, 13);
    QuarterRound(x, 3, 4, 9, 14);
  }
  for (int i = 0; i < 16; ++i) out[i] = x[i] + state[i];
}

u32 g_key[8];
u64 g_counter = 0;
bool g_keyed = false;

void Key(u64 a, u64 b) {
  u64 seed[4] = {a, b, 0x6172616d6964ull, 0x9e3779b97f4a7c15ull};
  for (int i = 0; i < 4; ++i) {
    g_key[usize{2} * i] = static_cast<u32>(seed[i]);
    g_key[2 * i + 1] = static_cast<u32>(seed[i] >> 32);
  }
  g_counter = 0;
  g_keyed = true;
}

}  // namespace

void GetBytes(void* buf, usize n) {
  if (!g_keyed) Key(hal::Clock::BootWallClockNs(), hal::Clock::MonotonicNs());
  auto* out = static_cast<u8*>(buf);
  u32 block[16];
  while (n > 0) {
    Block(g_key, g_counter++, block);
    usize chunk = n < sizeof(block) ? n : sizeof(block);
    __builtin_memcpy(out, block, chunk);
    out += chunk;
    n -= chunk;
    // Fast key erasure: every so often the next block becomes the key, so earlier output
    // cannot be recomputed from a later state.
    if ((g_counter & 0xff) == 0) {
      Block(g_key, g_counter++, block);
      for (int i = 0; i < 8; ++i) g_key[i] = block[i];
    }
  }
}

// The seed takes the first clock word's place; the second is a constant, not a clock.
void Seed(u64 seed) { Key(seed, 0x5eed5eed5eed5eedull); }

void ResetForTesting() { g_keyed = false; }

}  // namespace kernel::random
