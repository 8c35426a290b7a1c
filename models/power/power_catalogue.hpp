#pragma once
/// The registries of the power-side model families.
#include "models/power/power_price_model.hpp"
#include "sim/config/registry.hpp"

namespace hybridsim::models::power {

struct PowerCatalogue {
  sim::config::Registry<PowerPriceModel> power_price{"power_price", "grid energy price, USD/MWh"};
};

void register_power_models(PowerCatalogue& catalogue);

}  // namespace hybridsim::models::power
