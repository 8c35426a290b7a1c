#pragma once
/// FeeModel: transaction fees collected by each block, in satoshis.
#include <cstdint>

#include "sim/core/rng_streams.hpp"
#include "sim/core/time.hpp"

namespace hybridsim::models::bitcoin {

class FeeModel {
 public:
  virtual ~FeeModel() = default;
  /// The world's clock (seconds since the epoch), told before fees are asked for: at each
  /// price step and before each block. Models of fees over time (a replay) read it; others ignore it.
  virtual void observe_time_s(sim::SimTime /*now_s*/) {}
  /// Expected fees of a block at `height` with subsidy `subsidy_sat` — what FPPS pays on.
  virtual double expected_fees_sat(std::int64_t height, std::int64_t subsidy_sat) const = 0;
  /// Fees of the block actually found at `height` (draws from `rng`, the "fees" stream).
  virtual std::int64_t draw_fees_sat(std::int64_t height, std::int64_t subsidy_sat, sim::Rng& rng) = 0;
};

}  // namespace hybridsim::models::bitcoin
