#pragma once
/// BtcPriceModel: the BTC/USD price path, advanced in steps by the world's price clock.
#include <cstdint>
#include <limits>

#include "sim/core/rng_streams.hpp"
#include "sim/core/time.hpp"

namespace hybridsim::models::bitcoin {

/// What a price step knows about the world: the clock and the halvings seen so far (so a
/// model can respond to a halving whose date comes out of the block process).
struct PriceStep {
  sim::SimTime now_s = 0;        ///< start of the step, seconds since the epoch
  sim::SimTime dt_s = 0;         ///< length of the step
  std::int64_t halvings_seen = 0;  ///< halvings that happened since the run started
  /// Time of the most recent halving in the run; lowest() when none yet.
  sim::SimTime last_halving_s = std::numeric_limits<sim::SimTime>::lowest();
};

class BtcPriceModel {
 public:
  virtual ~BtcPriceModel() = default;
  /// The price at the epoch, USD.
  virtual double initial_usd() const = 0;
  /// The price at `step.now_s + step.dt_s` given `price_usd` at `step.now_s`. Draws only
  /// from `rng` (the "btc_price" stream). Models may keep state (a regime, a pending jump).
  virtual double next_usd(double price_usd, const PriceStep& step, sim::Rng& rng) = 0;
};

}  // namespace hybridsim::models::bitcoin
