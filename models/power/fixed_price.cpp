#include "models/power/fixed_price.hpp"

namespace hybridsim::models::power {

FixedPrice::FixedPrice(double price_usd_per_mwh) : price_usd_per_mwh_(price_usd_per_mwh) {}

sim::PowerPriceModel::Step FixedPrice::step(sim::SimTime, sim::Rng&) { return {price_usd_per_mwh_, kNever}; }

}  // namespace hybridsim::models::power
