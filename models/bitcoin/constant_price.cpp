#include "models/bitcoin/constant_price.hpp"

#include <stdexcept>

namespace hybridsim::models::bitcoin {

ConstantPrice::ConstantPrice(double initial_usd) : initial_usd_(initial_usd) {
  if (!(initial_usd > 0)) throw std::invalid_argument("constant price: initial_usd must be > 0");
}

double ConstantPrice::next_usd(double, const PriceStep&, sim::Rng&) { return initial_usd_; }

}  // namespace hybridsim::models::bitcoin
