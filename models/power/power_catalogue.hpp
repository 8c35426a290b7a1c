#pragma once
/// The registries of the power-side model families.
#include "sim/config/registry.hpp"
#include "sim/facility/power_price_model.hpp"

namespace hybridsim::models::power {

struct PowerCatalogue {
  sim::config::Registry<sim::PowerPriceModel> power_price{"power_price", "grid energy price, USD/MWh, as a step function of time"};
};

/// Registers every power price model (one entry per model, in register_power.cpp).
void register_power_models(PowerCatalogue& catalogue);

}  // namespace hybridsim::models::power
