#include "models/catalogue.hpp"

namespace hybridsim::models {

const Catalogue& catalogue() {
  static const Catalogue instance = [] {
    Catalogue c;
    bitcoin::register_bitcoin_models(c.bitcoin);
    power::register_power_models(c.power);
    return c;
  }();
  return instance;
}

}  // namespace hybridsim::models
