#pragma once
/// AiSpec: the validated, plain description of a scenario's AI section. Strategy choices
/// are registry entries with their validated parameters; every run builds fresh models.
#include <optional>
#include <vector>

#include "models/ai/ai_catalogue.hpp"
#include "models/ai/ai_part.hpp"
#include "models/ai/gpu_cluster.hpp"

namespace hybridsim::models::ai {

struct AiSpec {
  sim::SimTime decision_step_s = 3600;  ///< the dispatch's decision step (for the value of work at risk)
  struct JobStream {
    sim::config::ModelChoice<JobArrivalModel> model;
    std::vector<int> contract_of_label;  ///< per label of the model: contract index, -1 none
    std::string name;                    ///< names its random streams: jobs.<name>.*
  };
  struct Contract {
    ContractTerms terms;
    sim::config::ModelChoice<AiContract> model;
  };
  std::vector<ClusterSpec> clusters;  ///< owned and tenant, in declaration order (PUE resolved)
  /// The parameters of each cluster that `starts_with` a conversion, to report an unknown name there.
  std::vector<sim::config::Params> cluster_starts_with;
  std::vector<JobStream> jobs;
  std::optional<sim::config::ModelChoice<GpuScheduler>> scheduler;  ///< absent: fifo
  std::vector<Contract> contracts;
  std::optional<sim::config::ModelChoice<GpuPriceModel>> gpu_price;  ///< absent: spot price 0
  std::optional<AiShock> shock;

  /// The per-run pieces, freshly built.
  AiParts make_parts() const;
  /// The most grid power the clusters can draw, MW: Σ count × power_w × PUE.
  double max_grid_power_mw() const {
    double mw = 0.0;
    for (const auto& c : clusters) mw += c.max_it_mw() * c.pue;
    return mw;
  }
};

}  // namespace hybridsim::models::ai
