#include "models/bitcoin/growth_network.hpp"

#include <cmath>
#include <stdexcept>

namespace hybridsim::models::bitcoin {

GrowthNetwork::GrowthNetwork(std::optional<double> initial_ths, double growth_per_year)
    : initial_ths_(initial_ths), growth_per_year_(growth_per_year) {
  if (initial_ths_ && !(*initial_ths_ > 0)) throw std::invalid_argument("growth network: initial_ths must be > 0");
  if (!std::isfinite(growth_per_year)) throw std::invalid_argument("growth network: growth_per_year must be finite");
}

double GrowthNetwork::initial_ths(double implied_ths) { return initial_ths_ ? *initial_ths_ : implied_ths; }

double GrowthNetwork::next_ths(double hashrate_ths, const NetworkStep& step, sim::Rng&) {
  const double dt_years = static_cast<double>(step.dt_s) / static_cast<double>(sim::kSecondsPerYear);
  return hashrate_ths * std::exp(growth_per_year_ * dt_years);
}

}  // namespace hybridsim::models::bitcoin
