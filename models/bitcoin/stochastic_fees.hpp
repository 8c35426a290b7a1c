#pragma once
#include <cstdint>

#include "models/bitcoin/fee_model.hpp"

namespace hybridsim::models::bitcoin {

/// Lognormal fees per block with occasional spike episodes (fee markets spike for days at a
/// time: inscriptions in 2023, runes at the 2024 halving):
///
///   F = b · M · exp(s·Z − s²/2),  Z ~ N(0, 1),
///
/// b = the base mean: mean_btc_per_block × 10^8 sat, or mean_share × subsidy(h) (exactly one
/// is given); s = log_vol; M = spike_multiplier during a spike episode, else 1. At each block
/// outside an episode, an episode starts with probability p = spike_rate_per_year × 600 s /
/// year (so rate_per_year counts episodes per year of 600 s blocks) and covers that block and
/// the next L − 1 (L = spike_blocks). E[F | no episode] = b; in the long run a share
/// φ = pL / (1 − p + pL) of blocks are spike blocks, so E[F] = b·(1 + φ(M − 1)).
///
/// `expected_fees_sat` is the expectation for the next block given the episode state (b·M
/// inside an episode, b·(1 + p(M − 1)) outside), so FPPS pays more during a spike, as pools
/// that price fees from recent blocks do. Each block draws U (spike start, outside an
/// episode) and Z.
class StochasticFees final : public FeeModel {
 public:
  struct Params {
    double mean_btc_per_block = 0;  ///< used when `mean_share` < 0
    double mean_share = -1;         ///< of the subsidy; < 0: use mean_btc_per_block
    double log_vol = 0;
    double spike_rate_per_year = 0;
    double spike_multiplier = 1;
    std::int64_t spike_blocks = 1;
  };
  /// Means and log_vol >= 0, spike_rate_per_year >= 0, spike_multiplier >= 0, spike_blocks >= 1.
  explicit StochasticFees(const Params& params);
  double expected_fees_sat(std::int64_t height, std::int64_t subsidy_sat) const override;
  std::int64_t draw_fees_sat(std::int64_t height, std::int64_t subsidy_sat, sim::Rng& rng) override;

  /// p: the probability that an episode starts at a block outside one.
  double spike_start_probability() const { return spike_start_probability_; }
  /// φ: the long-run share of blocks inside an episode.
  double spike_block_share() const;
  /// b·(1 + φ(M − 1)): the long-run mean of F.
  double long_run_mean_sat(std::int64_t subsidy_sat) const;

 private:
  double base_sat(std::int64_t subsidy_sat) const;
  Params p_;
  double spike_start_probability_;
  std::int64_t spike_blocks_left_ = 0;
};

}  // namespace hybridsim::models::bitcoin
