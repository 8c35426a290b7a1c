#pragma once
/// Every model family's registry, built once by explicit registration calls.
#include "models/ai/ai_catalogue.hpp"
#include "models/bitcoin/bitcoin_catalogue.hpp"
#include "models/power/power_catalogue.hpp"

namespace hybridsim::models {

struct Catalogue {
  bitcoin::BitcoinCatalogue bitcoin;
  power::PowerCatalogue power;
  /// The AI library's own instance (its section reader uses it directly: one registration).
  const ai::AiCatalogue& ai = ai::ai_catalogue();
};

/// The catalogue with every shipped model registered (built on first use, then shared).
const Catalogue& catalogue();

}  // namespace hybridsim::models
