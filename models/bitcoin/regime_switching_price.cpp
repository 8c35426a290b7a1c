#include "models/bitcoin/regime_switching_price.hpp"

#include <cmath>
#include <stdexcept>
#include "sim/core/portable_random.hpp"

namespace hybridsim::models::bitcoin {

RegimeSwitchingPrice::RegimeSwitchingPrice(const Params& params) : p_(params) {
  if (!(p_.initial_usd > 0)) throw std::invalid_argument("regime_switching price: initial_usd must be > 0");
  if (!(p_.bull_vol_per_year >= 0 && p_.bear_vol_per_year >= 0))
    throw std::invalid_argument("regime_switching price: vols must be >= 0");
  if (!(p_.bull_to_bear_per_year >= 0 && p_.bear_to_bull_per_year >= 0))
    throw std::invalid_argument("regime_switching price: switching rates must be >= 0");
  if (p_.start == Start::kStationary && p_.bull_to_bear_per_year + p_.bear_to_bull_per_year <= 0)
    throw std::invalid_argument("regime_switching price: a stationary start needs a switching rate > 0");
  if (p_.start == Start::kBear) regime_ = Regime::kBear;
}

double RegimeSwitchingPrice::stationary_bull() const {
  return p_.bear_to_bull_per_year / (p_.bull_to_bear_per_year + p_.bear_to_bull_per_year);
}

double RegimeSwitchingPrice::next_usd(double price_usd, const PriceStep& step, sim::Rng& rng) {
  if (!started_) {
    started_ = true;
    // Drawn whatever `start` says, so the start never shifts the draws that follow.
    const double u = sim::uniform_open01(rng);
    if (p_.start == Start::kStationary) regime_ = u < stationary_bull() ? Regime::kBull : Regime::kBear;
  }
  const double dt = static_cast<double>(step.dt_s) / static_cast<double>(sim::kSecondsPerYear);
  const double drift[2] = {p_.bull_drift_per_year, p_.bear_drift_per_year};
  const double vol[2] = {p_.bull_vol_per_year, p_.bear_vol_per_year};
  const double leave[2] = {p_.bull_to_bear_per_year, p_.bear_to_bull_per_year};
  double time_in[2] = {0.0, 0.0};
  // Holding times are memoryless, so a fresh exponential at each step start is exact.
  double left = dt;
  while (left > 0) {
    const int k = static_cast<int>(regime_);
    const double u = sim::uniform_open01(rng);  // drawn also when the regime is never left
    const double hold = leave[k] > 0 ? -std::log(u) / leave[k] : HUGE_VAL;
    if (hold >= left) {
      time_in[k] += left;
      break;
    }
    time_in[k] += hold;
    left -= hold;
    regime_ = k == 0 ? Regime::kBear : Regime::kBull;
  }
  double mean = 0.0;
  double variance = 0.0;
  for (int k = 0; k < 2; ++k) {
    mean += (drift[k] - 0.5 * vol[k] * vol[k]) * time_in[k];
    variance += vol[k] * vol[k] * time_in[k];
  }
  return price_usd * std::exp(mean + std::sqrt(variance) * sim::standard_normal(rng));
}

}  // namespace hybridsim::models::bitcoin
