#include "models/catalogue.hpp"

namespace hybridsim::models {

const Catalogue& catalogue() {
  static const Catalogue instance = [] {
    Catalogue c;
    bitcoin::register_bitcoin_models(c.bitcoin);
    power::register_power_models(c.power);
    dispatch::register_dispatch_policies(c.dispatch);
    return c;
  }();
  return instance;
}

const sim::Plugins& plugins() {
  static const bitcoin::BitcoinSection bitcoin_section(catalogue().bitcoin);
  static const ai::AiSection ai_section;
  static const sim::Plugins instance{&catalogue().power.power_price,
                                     &catalogue().dispatch.dispatch,
                                     {&bitcoin_section, &ai_section}};
  return instance;
}

}  // namespace hybridsim::models
