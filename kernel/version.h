#pragma once

namespace kernel {
inline constexpr const char* kVersion = "0.1.0";
/// What uname(2) reports as the release: new enough for glibc and musl to accept.
inline constexpr const char* kUtsRelease = "6.1.0-aramid";
}  // namespace kernel
