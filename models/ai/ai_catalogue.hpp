#pragma once
/// The registries of the AI-side model families (job arrivals, schedulers, contracts, GPU prices).
#include "sim/config/registry.hpp"

namespace hybridsim::models::ai {

struct AiCatalogue {};

void register_ai_models(AiCatalogue& catalogue);

}  // namespace hybridsim::models::ai
