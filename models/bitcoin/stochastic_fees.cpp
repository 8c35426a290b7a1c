#include "models/bitcoin/stochastic_fees.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/bitcoin/consensus.hpp"
#include "sim/core/time.hpp"
#include "sim/core/portable_random.hpp"

namespace hybridsim::models::bitcoin {

StochasticFees::StochasticFees(const Params& params)
    : p_(params),
      spike_start_probability_(std::min(1.0, params.spike_rate_per_year * static_cast<double>(kTargetSpacingS) /
                                                 static_cast<double>(sim::kSecondsPerYear))) {
  if (!(p_.mean_btc_per_block >= 0) || !std::isfinite(p_.mean_btc_per_block) || !std::isfinite(p_.mean_share))
    throw std::invalid_argument("stochastic fees: the mean must be >= 0");
  if (!(p_.log_vol >= 0)) throw std::invalid_argument("stochastic fees: log_vol must be >= 0");
  if (!(p_.spike_rate_per_year >= 0)) throw std::invalid_argument("stochastic fees: spike rate must be >= 0");
  if (!(p_.spike_multiplier >= 0)) throw std::invalid_argument("stochastic fees: spike multiplier must be >= 0");
  if (p_.spike_blocks < 1) throw std::invalid_argument("stochastic fees: spike_blocks must be >= 1");
}

double StochasticFees::base_sat(std::int64_t subsidy_sat) const {
  return p_.mean_share >= 0 ? p_.mean_share * static_cast<double>(subsidy_sat)
                            : p_.mean_btc_per_block * static_cast<double>(kCoinSat);
}

double StochasticFees::spike_block_share() const {
  const double p = spike_start_probability_;
  const double l = static_cast<double>(p_.spike_blocks);
  return p * l / (1.0 - p + p * l);
}

double StochasticFees::long_run_mean_sat(std::int64_t subsidy_sat) const {
  return base_sat(subsidy_sat) * (1.0 + spike_block_share() * (p_.spike_multiplier - 1.0));
}

double StochasticFees::expected_fees_sat(std::int64_t, std::int64_t subsidy_sat) const {
  const double m = p_.spike_multiplier;
  const double factor = spike_blocks_left_ > 0 ? m : 1.0 + spike_start_probability_ * (m - 1.0);
  return base_sat(subsidy_sat) * factor;
}

std::int64_t StochasticFees::draw_fees_sat(std::int64_t, std::int64_t subsidy_sat, sim::Rng& rng) {
  // Three engine outputs per block, in this order, also during a spike.
  const double u = sim::uniform_open01(rng);
  if (spike_blocks_left_ == 0 && u < spike_start_probability_) spike_blocks_left_ = p_.spike_blocks;
  const bool spike = spike_blocks_left_ > 0;
  if (spike) --spike_blocks_left_;
  const double s = p_.log_vol;
  const double fees = base_sat(subsidy_sat) * (spike ? p_.spike_multiplier : 1.0) * std::exp(s * sim::standard_normal(rng) - 0.5 * s * s);
  return std::llround(fees);
}

}  // namespace hybridsim::models::bitcoin
