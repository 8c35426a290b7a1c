#pragma once
/// Seeds and uniform numbers of a sweep, the same on every machine and standard library.
///
/// SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators")
/// mixes a 64-bit state advanced by the golden-ratio increment. Member seeds hash
/// (base seed, member index) through it; random and Latin-hypercube designs draw from it.
#include <cstdint>

namespace hybridsim::sweep {

/// SplitMix64's output function: a bijective mix of 64 bits.
constexpr std::uint64_t splitmix64_mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// The seed of member `index` (0-based) of a sweep whose base scenario has seed `base`:
/// the (index+1)-th output of SplitMix64 started at `base`, kept to 63 bits so that it is a
/// valid `seed:` (a non-negative YAML integer).
constexpr std::uint64_t member_seed(std::uint64_t base, std::uint64_t index) {
  return splitmix64_mix(base + (index + 1) * 0x9e3779b97f4a7c15ULL) >> 1;
}

/// A SplitMix64 stream: uniform doubles in [0, 1) with 53 random bits, and indices.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() { return splitmix64_mix(state_ += 0x9e3779b97f4a7c15ULL); }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform on 0..n-1 (n ≥ 1), by rejection so that no index is favoured.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t x = next();
    while (x >= limit) x = next();
    return x % n;
  }

 private:
  std::uint64_t state_;
};

}  // namespace hybridsim::sweep
