#include "models/bitcoin/constant_fees.hpp"

#include <cmath>
#include <stdexcept>

#include "models/bitcoin/consensus.hpp"

namespace hybridsim::models::bitcoin {

ConstantFees::ConstantFees(double btc_per_block) : fees_sat_(btc_per_block * static_cast<double>(kCoinSat)) {
  if (!(btc_per_block >= 0) || !std::isfinite(btc_per_block))
    throw std::invalid_argument("constant fees: btc_per_block must be >= 0");
}

double ConstantFees::expected_fees_sat(std::int64_t, std::int64_t) const { return fees_sat_; }

std::int64_t ConstantFees::draw_fees_sat(std::int64_t, std::int64_t, sim::Rng&) { return std::llround(fees_sat_); }

}  // namespace hybridsim::models::bitcoin
