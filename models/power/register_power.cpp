#include <memory>

#include "models/power/fixed_price.hpp"
#include "models/power/power_catalogue.hpp"

namespace hybridsim::models::power {

using sim::config::ParamSpec;

void register_power_models(PowerCatalogue& c) {
  c.power_price.add(
      {"fixed", "a fixed-price power purchase agreement: p(t) = price_usd_per_mwh",
       {ParamSpec::number("price_usd_per_mwh", "USD/MWh", "energy price, all-in")}},
      [](const sim::config::Params& p) { return std::make_unique<FixedPrice>(p.number("price_usd_per_mwh")); });
}

}  // namespace hybridsim::models::power
