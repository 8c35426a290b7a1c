#pragma once
/// The registries of the AI-side model families (job arrivals, schedulers, contracts, GPU prices).
#include "models/ai/ai_contract.hpp"
#include "models/ai/gpu_price_model.hpp"
#include "models/ai/gpu_scheduler.hpp"
#include "models/ai/job_arrival_model.hpp"
#include "sim/config/registry.hpp"

namespace hybridsim::models::ai {

struct AiCatalogue {
  sim::config::Registry<JobArrivalModel> jobs{"jobs", "training jobs submitted to the facility's own GPUs"};
  sim::config::Registry<GpuScheduler> scheduler{"scheduler", "which queued GPU jobs start, and where"};
  sim::config::Registry<AiContract> contracts{"contracts", "how AI customers pay: leases, GPU-hours, training deals"};
  sim::config::Registry<GpuPriceModel> gpu_price{"gpu_price", "spot price of a GPU-hour, USD"};
};

/// Registers every AI-side model (one entry per model, in register_ai.cpp).
void register_ai_models(AiCatalogue& catalogue);

/// The AI catalogue with every shipped model registered (built on first use), shared by the
/// AI section's reader and models::catalogue().
const AiCatalogue& ai_catalogue();

}  // namespace hybridsim::models::ai
