#pragma once
/// Every model family's registry, built once by explicit registration calls, and the
/// scenario sections through which the families plug into the kernel.
#include "models/ai/ai_catalogue.hpp"
#include "models/ai/ai_scenario_section.hpp"
#include "models/bitcoin/bitcoin_catalogue.hpp"
#include "models/bitcoin/bitcoin_section.hpp"
#include "models/dispatch/dispatch_catalogue.hpp"
#include "models/power/power_catalogue.hpp"
#include "sim/run/section.hpp"

namespace hybridsim::models {

struct Catalogue {
  bitcoin::BitcoinCatalogue bitcoin;
  power::PowerCatalogue power;
  dispatch::DispatchCatalogue dispatch;
  /// The AI library's own instance (its section reader uses it directly: one registration).
  const ai::AiCatalogue& ai = ai::ai_catalogue();
};

/// The catalogue with every shipped model registered (built on first use, then shared).
const Catalogue& catalogue();

/// The kernel's view of the catalogue: power prices, dispatch policies and the families'
/// scenario sections (bitcoin, then AI), for sim::load_scenario.
const sim::Plugins& plugins();

}  // namespace hybridsim::models
