#pragma once
/// NetworkModel: the hashrate of the rest of the world (everyone but this facility).
#include "sim/core/rng_streams.hpp"
#include "sim/core/time.hpp"

namespace hybridsim::models::bitcoin {

/// What a network step knows: the clock and the economics that drive miners' decisions.
struct NetworkStep {
  sim::SimTime now_s = 0;
  sim::SimTime dt_s = 0;
  double hashprice_usd_per_th_day = 0.0;  ///< at the current difficulty, reward and price
  double btc_price_usd = 0.0;
  double difficulty = 0.0;
};

class NetworkModel {
 public:
  virtual ~NetworkModel() = default;
  /// Hashrate at the epoch in TH/s. `implied_ths` is what the starting difficulty implies
  /// (D × 2^32 / 600 / 10^12); models may use it as their default starting point.
  virtual double initial_ths(double implied_ths) = 0;
  /// Hashrate at `step.now_s + step.dt_s`, TH/s. Draws only from `rng` ("network" stream).
  virtual double next_ths(double hashrate_ths, const NetworkStep& step, sim::Rng& rng) = 0;
};

}  // namespace hybridsim::models::bitcoin
