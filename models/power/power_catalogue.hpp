#pragma once
/// The registries of the power-side model families.
#include "sim/facility/power_price_model.hpp"
#include "sim/config/registry.hpp"

namespace hybridsim::models::power {

struct PowerCatalogue {
  sim::config::Registry<sim::PowerPriceModel> power_price{"power_price", "grid energy price, USD/MWh"};
};

void register_power_models(PowerCatalogue& catalogue);

}  // namespace hybridsim::models::power
