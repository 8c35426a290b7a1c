#pragma once
/// FeeModel: transaction fees collected by each block, in satoshis.
#include <cstdint>

#include "sim/core/rng_streams.hpp"

namespace hybridsim::models::bitcoin {

class FeeModel {
 public:
  virtual ~FeeModel() = default;
  /// Expected fees of a block at `height` with subsidy `subsidy_sat` — what FPPS pays on.
  virtual double expected_fees_sat(std::int64_t height, std::int64_t subsidy_sat) const = 0;
  /// Fees of the block actually found at `height` (draws from `rng`, the "fees" stream).
  virtual std::int64_t draw_fees_sat(std::int64_t height, std::int64_t subsidy_sat, sim::Rng& rng) = 0;
};

}  // namespace hybridsim::models::bitcoin
