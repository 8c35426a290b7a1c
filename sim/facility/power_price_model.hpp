#pragma once
/// PowerPriceModel: what grid energy costs the facility, as a step function of time.
///
/// The kernel bills energy with it and the dispatch policies read its marginal price. A model
/// is a sequence of steps: at time 0 and then at each step's `until_s` the kernel asks for the
/// next step, so a model changes price exactly when its data or process does (a CSV row, an
/// hour of a time-of-use table, an Ornstein–Uhlenbeck step) and nothing polls in between.
/// Prices may be negative (the grid pays the facility to consume).
#include <limits>

#include "sim/core/rng_streams.hpp"
#include "sim/core/time.hpp"

namespace hybridsim::sim {

class PowerPriceModel {
 public:
  /// A price that holds on [from, until_s).
  struct Step {
    double usd_per_mwh = 0.0;  ///< marginal (spot) price of one more MWh
    SimTime until_s = kNever;  ///< when the price next changes, seconds since the epoch
  };
  static constexpr SimTime kNever = std::numeric_limits<SimTime>::max();

  virtual ~PowerPriceModel() = default;

  /// The step starting at `now_s` (0, then each previous step's until_s; until_s > now_s).
  /// Stochastic models draw from `rng` (the run's "power_price" stream) and nothing else.
  virtual Step step(SimTime now_s, Rng& rng) = 0;

  /// Cost of drawing `grid_mw` during one hour while the marginal price is
  /// `price_usd_per_mwh`, USD/h. The default is grid_mw × price; a PPA bills its block at the
  /// contract price and the rest (or the unused block, sold back) at spot.
  virtual double cost_usd_per_h(double grid_mw, double price_usd_per_mwh) const {
    return grid_mw * price_usd_per_mwh;
  }
};

}  // namespace hybridsim::sim
