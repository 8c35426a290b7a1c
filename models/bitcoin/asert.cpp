#include "models/bitcoin/asert.hpp"

#include <cmath>
#include <stdexcept>

#include "models/bitcoin/consensus.hpp"

namespace hybridsim::models::bitcoin {

AsertFactor asert_factor(std::int64_t time_delta_s, std::int64_t height_delta, std::int64_t half_life_s) {
  if (half_life_s <= 0) throw std::invalid_argument("asert: half-life must be > 0");
  AsertFactor f;
  // Δt and Δh of a run are at most ~10^12 (heights are bounded), so × 65536 fits in int64.
  f.exponent = ((time_delta_s - kTargetSpacingS * (height_delta + 1)) * 65536) / half_life_s;
  f.shifts = f.exponent >> 16;  // arithmetic shift on a negative value floors (C++20 defines it)
  const std::int64_t frac = f.exponent - f.shifts * 65536;
  // The polynomial's largest value (frac = 65535) is 1.84466·10^19 < 2^64: unsigned 64-bit
  // arithmetic holds it, as in BCHN.
  const auto x = static_cast<std::uint64_t>(frac);
  const std::uint64_t poly = 195766423245049ULL * x + 971821376ULL * x * x + 5127ULL * x * x * x + (1ULL << 47);
  f.factor = 65536 + static_cast<std::int64_t>(poly >> 48);
  return f;
}

double asert_difficulty(double anchor_difficulty, std::int64_t time_delta_s, std::int64_t height_delta,
                        std::int64_t half_life_s) {
  const AsertFactor f = asert_factor(time_delta_s, height_delta, half_life_s);
  // 2^shifts as an exact power of two; shifts beyond a double's range saturate (the floor at
  // the proof-of-work limit then applies).
  const int shifts = static_cast<int>(f.shifts > 2000 ? 2000 : f.shifts < -2000 ? -2000 : f.shifts);
  return anchor_difficulty * 65536.0 / (static_cast<double>(f.factor) * std::ldexp(1.0, shifts));
}

}  // namespace hybridsim::models::bitcoin
