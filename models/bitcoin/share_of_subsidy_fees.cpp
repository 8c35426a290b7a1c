#include "models/bitcoin/share_of_subsidy_fees.hpp"

#include <cmath>
#include <stdexcept>

namespace hybridsim::models::bitcoin {

ShareOfSubsidyFees::ShareOfSubsidyFees(double share) : share_(share) {
  if (!(share >= 0) || !std::isfinite(share)) throw std::invalid_argument("share_of_subsidy fees: share must be >= 0");
}

double ShareOfSubsidyFees::expected_fees_sat(std::int64_t, std::int64_t subsidy_sat) const {
  return share_ * static_cast<double>(subsidy_sat);
}

std::int64_t ShareOfSubsidyFees::draw_fees_sat(std::int64_t height, std::int64_t subsidy_sat, sim::Rng&) {
  return std::llround(expected_fees_sat(height, subsidy_sat));
}

}  // namespace hybridsim::models::bitcoin
