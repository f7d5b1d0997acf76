// --seed: the kernel's random bytes (AT_RANDOM, getrandom, /dev/urandom) are a function of the
// seed alone.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "kernel/random/random.h"

namespace {

TEST(RandomSeed, SameSeedSameBytesOtherSeedOtherBytes) {
  uint8_t a[64], b[64], c[64];
  kernel::random::Seed(7);
  kernel::random::GetBytes(a, sizeof(a));
  kernel::random::Seed(7);
  kernel::random::GetBytes(b, sizeof(b));
  kernel::random::Seed(8);
  kernel::random::GetBytes(c, sizeof(c));
  EXPECT_EQ(std::memcmp(a, b, sizeof(a)), 0);
  EXPECT_NE(std::memcmp(a, c, sizeof(a)), 0);
  // The stream goes on (no repeats between consecutive calls).
  kernel::random::GetBytes(b, sizeof(b));
  EXPECT_NE(std::memcmp(c, b, sizeof(b)), 0);
  kernel::random::ResetForTesting();
}

}  // namespace
