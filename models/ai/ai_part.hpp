#pragma once
/// AiPart: the facility's AI business as one FacilityPart — GPU clusters (owned and
/// tenants'), training jobs and their scheduler, contracts, the GPU-hour spot price and the
/// AI-bubble shock.
///
/// Power. Tenant clusters of an active colocation lease draw their IT demand × PUE; owned
/// clusters draw as GpuFarm describes. Under a grid limit L (set_power_limit_mw) tenants are
/// served first, pro rata (their leases carry SLA credits), and the owned clusters get
/// what is left: B = L − P_tenant. A lapsed or defaulted lease's clusters go dark.
///
/// Money (flows, USD): ai_revenue_usd = Σ active contracts' revenue; sla_credits_usd = Σ
/// their credits (a cost, reported positive); gpu_depreciation_usd = Σ owned clusters
/// count · purchase / (years · 365.25 d) for `depreciation_years` after the epoch. Energy
/// is charged by the Simulation from grid_power_mw(). Cash: revenue − credits per second, and
/// the owned GPUs' purchase (Σ count · purchase_usd_per_gpu) paid at the start.
///
/// Randomness, each from its own named stream: arrivals "jobs" (stream 0) and "jobs.<i>";
/// the spot price "gpu_price"; times to default "ai_default" (one Exp draw per contract with a
/// hazard, in declaration order, at the start); renewals "ai_renewal"; the shock's defaults
/// "ai_shock"; demand thinning after the shock "ai_demand".
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/ai/ai_contract.hpp"
#include "models/ai/gpu_cluster.hpp"
#include "models/ai/gpu_farm.hpp"
#include "models/ai/gpu_price_model.hpp"
#include "models/ai/gpu_scheduler.hpp"
#include "models/ai/job_arrival_model.hpp"
#include "sim/facility/facility_part.hpp"

namespace hybridsim::models::ai {

/// "The AI bubble bursts": at `at_s` every contract not yet ended defaults with probability
/// `default_probability`, the spot price is multiplied by `spot_price_factor` and job demand
/// by `demand_factor` (each later arrival is kept with that probability: thinning a Poisson
/// process of rate λ gives one of rate λ·f).
struct AiShock {
  sim::SimTime at_s = 0;  ///< seconds since the epoch
  double default_probability = 1.0;
  double spot_price_factor = 1.0;
  double demand_factor = 1.0;
};

/// The per-run pieces of the AI section, ready to run (tests build them directly).
struct AiParts {
  struct Stream {
    std::unique_ptr<JobArrivalModel> model;
    std::vector<int> contract_of_label;  ///< per label of the model: contract index, -1 none
  };
  struct Contract {
    ContractTerms terms;
    std::unique_ptr<AiContract> model;
  };
  std::vector<ClusterSpec> clusters;  ///< owned and tenant, in declaration order
  std::unique_ptr<GpuScheduler> scheduler;
  std::vector<Stream> streams;
  std::vector<Contract> contracts;
  std::unique_ptr<GpuPriceModel> gpu_price;  ///< null: spot price 0
  std::optional<AiShock> shock;
};

class AiPart final : public sim::FacilityPart {
 public:
  explicit AiPart(AiParts parts);

  void start(sim::RunContext& ctx) override;
  double grid_power_mw() const;
  double max_grid_power_mw() const;
  /// TEMPORARY (until per-cluster consumers land): the whole part as one consumer.
  std::vector<sim::PowerConsumer*> consumers() override;
  void update_rates(const sim::WorldState& world) override;
  /// Revenue less SLA credits, USD/s (depreciation is not cash; the GPUs' purchase price is
  /// paid as one lump from cash_usd at the start).
  double cash_rate_usd_per_s() const override { return revenue_->rate_per_s - sla_->rate_per_s; }
  void finish(sim::RunContext& ctx) override;

  /// Caps the part's grid draw, MW (infinity: no cap). Tenants are served first; the owned
  /// clusters' jobs are preempted (lowest priority, most recently started first) and idle
  /// GPUs switched off as far as needed. For the dispatch policy.
  void set_power_limit_mw(double limit_mw);
  double power_limit_mw() const { return limit_mw_; }

  const GpuFarm& farm() const { return farm_; }
  double spot_usd_per_gpu_hour() const { return price_usd_per_gpu_hour_ * price_factor_; }
  bool contract_active(int k) const { return contracts_[k].state == State::kActive; }
  const sim::Flow& revenue() const { return *revenue_; }
  const sim::Flow& sla_credits() const { return *sla_; }
  const sim::Flow& depreciation() const { return *depreciation_; }
  /// Grid power of the tenants' clusters now, MW.
  double tenant_grid_mw() const { return tenant_granted_mw_; }

 private:
  enum class State { kPending, kActive, kEnded };
  struct ContractRun {
    ContractTerms terms;
    std::unique_ptr<AiContract> model;
    State state = State::kPending;
    sim::SimTime ended_s = -1;
    std::string end_reason;
    double demand_it_mw = 0.0;     // tenant clusters' IT demand while active
    double demand_grid_mw = 0.0;
    double delivered_it_mw = 0.0;
    double delivered_grid_mw = 0.0;
  };
  struct StreamRun {
    std::unique_ptr<JobArrivalModel> model;
    std::vector<int> contract_of_label;
    sim::Rng rng;
    JobRequest pending;
  };

  void schedule_arrival(std::size_t i);
  void on_arrival(std::size_t i);
  void activate(int k);
  void end_contract(int k, const std::string& reason);
  void on_term_end(int k);
  void on_shock();
  void rebalance();

  sim::Engine* engine_ = nullptr;
  sim::SimTime horizon_s_ = 0;
  std::vector<ClusterSpec> tenant_clusters_;
  double owned_max_mw_ = 0.0;
  std::vector<std::pair<sim::SimTime, double>> depreciation_steps_;
  std::vector<double> farm_clusters_purchase_;  // USD per owned cluster, paid at the start  // (end, USD/s) per cluster
  GpuFarm farm_;
  std::vector<StreamRun> streams_;
  std::vector<ContractRun> contracts_;
  std::unique_ptr<GpuPriceModel> gpu_price_;
  std::optional<AiShock> shock_;
  sim::Rng price_rng_;
  sim::Rng renewal_rng_;
  sim::Rng shock_rng_;
  sim::Rng demand_rng_;
  double price_usd_per_gpu_hour_ = 0.0;
  double price_factor_ = 1.0;
  double demand_factor_ = 1.0;
  double limit_mw_;
  double tenant_granted_mw_ = 0.0;
  sim::Flow* revenue_ = nullptr;
  sim::Flow* sla_ = nullptr;
  sim::Flow* depreciation_ = nullptr;
  sim::Flow scratch_[3];  // stands in for the ledger's flows before start()
  std::unique_ptr<sim::PowerConsumer> shim_;
  std::string shim_hall_;
};

}  // namespace hybridsim::models::ai
