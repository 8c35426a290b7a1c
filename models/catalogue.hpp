#pragma once
/// Every model family's registry, built once by explicit registration calls.
#include "models/ai/ai_catalogue.hpp"
#include "models/bitcoin/bitcoin_catalogue.hpp"
#include "models/power/power_catalogue.hpp"

namespace hybridsim::models {

struct Catalogue {
  bitcoin::BitcoinCatalogue bitcoin;
  power::PowerCatalogue power;
  ai::AiCatalogue ai;
};

/// The catalogue with every shipped model registered (built on first use, then shared).
const Catalogue& catalogue();

}  // namespace hybridsim::models
