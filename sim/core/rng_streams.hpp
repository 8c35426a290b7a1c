#pragma once
/// Named random streams: one independent generator per source of randomness.
///
/// Each stream's seed is a hash of (scenario seed, stream name), so adding a model that
/// draws from a new stream never perturbs the draws of another, and two sweep members that
/// differ only in a parameter see the same random numbers (common random numbers).
#include <cstdint>
#include <random>
#include <string_view>

namespace hybridsim::sim {

/// The generator behind every stream: 64-bit Mersenne Twister from the standard library.
using Rng = std::mt19937_64;

class RngStreams {
 public:
  explicit RngStreams(std::uint64_t seed) : seed_(seed) {}

  std::uint64_t seed() const { return seed_; }

  /// A fresh generator for the stream `name`; the same (seed, name) always gives the same one.
  Rng stream(std::string_view name) const { return Rng(stream_seed(seed_, name)); }

  /// The 64-bit seed of stream `name`: FNV-1a of the name, mixed with the scenario seed
  /// through SplitMix64 so that nearby seeds and similar names give unrelated streams.
  static std::uint64_t stream_seed(std::uint64_t seed, std::string_view name);

 private:
  std::uint64_t seed_;
};

}  // namespace hybridsim::sim
