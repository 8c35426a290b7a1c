#pragma once
/// AiPart: the facility's AI business as one FacilityPart — GPU clusters (owned and
/// tenants'), training jobs and their scheduler, contracts, the GPU-hour spot price and the
/// AI-bubble shock.
///
/// Power. Every cluster is one sim::PowerConsumer (consumers(): GpuClusterConsumer, in
/// declaration order) with its own grid limit, set by the PowerArbiter. Tenant clusters of
/// an active colocation lease draw min(IT demand × PUE, limit); owned clusters draw as
/// GpuFarm describes under a budget equal to their limit (capping, then preemption). A
/// lapsed or defaulted lease's clusters go dark.
///
/// Life of a cluster. A cluster is in place from its arrival — the start, its `arrives` date,
/// or (owned clusters) the completion of the conversion it `starts_with` — until it retires
/// (`retires`, a date, or `life_years` after its arrival). Outside that span it draws no
/// power, asks for none, is worth nothing to the arbiter and runs no jobs: an owned cluster's
/// budget is held at 0 MW whatever the arbiter grants (GpuFarm), so no job starts there and a
/// retirement preempts the jobs still running (they queue again, losing their unsaved work).
///
/// Money (flows, USD): ai_revenue_usd = Σ active contracts' revenue; sla_credits_usd = Σ
/// their credits (a cost, reported positive); gpu_work_lost_gpu_hours = work lost to
/// preemptions (GPU-hours at full power, lumps at each preemption); gpu_depreciation_usd =
/// Σ owned clusters in place C / L during [t_a, t_a + L), C = count · purchase_usd_per_gpu,
/// t_a the arrival, L = depreciation_years (sim/finance/straight_line.hpp); a cluster that
/// retires earlier stops depreciating. Energy is charged by the Simulation from
/// grid_power_mw(). Cash: revenue − credits per second, and each owned cluster's C paid as a
/// lump on `gpu_capex` when it arrives (never, if it arrives after the horizon).
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
#include "models/ai/gpu_cluster_consumer.hpp"
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
    std::string name{};                  ///< its random streams are jobs.<name>.*; "" : its index
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
  void update_rates(const sim::WorldState& world) override;
  /// Moves on every event that changes what the part earns or owes: contracts starting or
  /// ending, jobs starting or stopping, spot price steps, limits, rate breakpoints.
  std::optional<std::uint64_t> rates_version() const override { return version_ + farm_.version(); }
  /// Revenue less SLA credits, USD/s (depreciation is not cash; the GPUs' purchase price is
  /// paid as one lump on the account gpu_capex at the start).
  double cash_rate_usd_per_s() const { return revenue_->rate_per_s - sla_->rate_per_s; }
  void summarize(std::vector<sim::SummaryItem>& out) const override;
  /// A conversion completed: contracts that start with it begin now.
  void on_milestone(const std::string& name) override;
  void check_invariants(sim::SimTime) const override { farm_.check_invariants(); }
  void finish(sim::RunContext& ctx) override;
  /// Colocation leases active at the horizon with a term: their net cash rate now (rent +
  /// power passed through − SLA credits), their tenants' grid MW, their default hazard and the
  /// end of their current term (renewals are not contracted).
  void contracted_after(sim::SimTime horizon_s, sim::ContractedAfterHorizon& out) const override;

  /// One PowerConsumer per GPU cluster (owned and tenant), in declaration order; the
  /// addresses stay valid for the part's lifetime. The arbiter sets each one's limit.
  std::vector<sim::PowerConsumer*> consumers() override;

  // --- Per cluster, by index in declaration order (what GpuClusterConsumer answers) ---
  int cluster_count() const { return static_cast<int>(clusters_.size()); }
  const ClusterSpec& cluster(int i) const { return clusters_[i]; }
  /// Grid power of cluster i now, MW (never above its limit).
  double cluster_power_mw(int i) const;
  /// What cluster i would draw now if allowed, MW (see GpuClusterConsumer).
  double cluster_demand_mw(int i) const;
  /// Sets cluster i's grid-power limit, MW (>= 0; infinity: none).
  void set_cluster_limit_mw(int i, double limit_mw);
  double cluster_limit_mw(int i) const;
  /// What one more grid MWh is worth to cluster i now, USD/MWh, before paying for it:
  ///
  /// - tenant, lease active: (1 + k) · p · 1000 / 720 h / PUE + (pass-through ? grid price : 0)
  ///   — the rent and k× SLA credits on the IT MWh not delivered, and the energy it would
  ///   have paid for (ColocationLease::tenant_value_usd_per_grid_mwh); 0 when not active.
  /// - owned: over its running jobs j and the queued jobs q that would start on it if powered
  ///   (a GPUs held or asked for, p the contract's GPU-hour price, or spot when the contract
  ///   has none or there is no contract, u_j the work since the last checkpoint, h, Δ the
  ///   decision interval, h, P the power of those GPUs at full load, MW):
  ///
  ///     value = (Σ_j a_j · p_j · (1 + u_j / Δ) + Σ_q a_q · p_q) / P        [USD/MWh]
  ///
  ///   with u_j the work a preemption would lose in expectation: half the checkpoint interval
  ///   (unsaved work is a sawtooth between checkpoints), or half the job without checkpoints.
  ///   So the value moves only when jobs start or stop or prices change, and is cached.
  ///
  ///   the revenue per MWh of the GPUs it would use, plus what a preemption now would throw
  ///   away, spread over the Δ · P MWh one decision period would use (assumption: a
  ///   curtailment lasts one decision interval). A cluster with no work is worth 0.
  double cluster_value_usd_per_mwh(int i) const;
  /// Δ above: the arbiter's decision interval, s (default 1 h, an assumption until the
  /// arbiter says).
  void set_decision_interval_s(sim::SimTime interval_s) {
    decision_interval_s_ = interval_s;
    ++version_;
  }
  /// True while cluster i is in place (arrived, not retired).
  bool in_place(int i) const { return in_place_[i] != 0; }
  /// Owned GPUs in place now.
  int owned_gpus_in_place() const;
  /// Mean power fraction of the owned busy GPUs: Σ min(P_full, B) / Σ P_full (1 when none is busy).
  double gpu_power_fraction() const;

  const GpuFarm& farm() const { return farm_; }
  double spot_usd_per_gpu_hour() const { return price_usd_per_gpu_hour_ * price_factor_; }
  bool contract_active(int k) const { return contracts_[k].state == State::kActive; }
  const sim::Flow& revenue() const { return *revenue_; }
  const sim::Flow& sla_credits() const { return *sla_; }
  const sim::Flow& depreciation() const { return *depreciation_; }
  const sim::Flow& work_lost() const { return *work_lost_; }
  /// Grid power of the tenants' clusters now, MW.
  double tenant_grid_mw() const;

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
    // Its own streams, named by the contract: ai_default.<name>, ai_renewal.<name>, ai_shock.<name>.
    sim::Rng default_rng, renewal_rng, shock_rng;
  };
  struct StreamRun {
    std::unique_ptr<JobArrivalModel> model;
    std::vector<int> contract_of_label;
    std::string name;
    JobDraws draws;      // jobs.<name>.arrivals, .gpus, .hours
    sim::Rng demand_rng;  // jobs.<name>.demand: thinning after a shock
    JobRequest pending;
  };

  void schedule_life(int k);
  void schedule_arrival(std::size_t i);
  void on_arrival(std::size_t i);
  void activate(int k);
  void end_contract(int k, const std::string& reason);
  void on_term_end(int k);
  void on_shock();
  void rebalance();
  double tenant_draw_mw(int i) const;
  void notify_tenants(int k);
  /// Cluster i comes into place now (pays for an owned one, schedules its retirement) and,
  /// if `notify`, tells the arbiter its demand moved.
  void arrive(int i, bool notify = true);
  /// Cluster i leaves now.
  void retire(int i);
  /// When cluster i retires if it arrives at `arrival_s` (−1: never).
  sim::SimTime retirement_s(int i, sim::SimTime arrival_s) const;

  sim::Engine* engine_ = nullptr;
  sim::SimTime horizon_s_ = 0;
  std::vector<ClusterSpec> clusters_;   // all, in declaration order
  std::vector<int> farm_index_;         // per cluster: index in the farm, -1 for a tenant's
  std::vector<int> cluster_of_farm_;    // per farm cluster: index in clusters_
  std::vector<double> limit_mw_;         // per cluster: the arbiter's limit
  std::vector<char> in_place_;           // per cluster: arrived and not retired
  std::vector<sim::SimTime> arrived_s_;  // per cluster: arrival, −1 before
  std::vector<std::unique_ptr<GpuClusterConsumer>> consumers_;
  const sim::WorldState* world_ = nullptr;
  sim::SimTime decision_interval_s_ = 3600;
  std::uint64_t version_ = 0;
  mutable std::vector<std::uint64_t> value_key_;  // per cluster: the version value_cache_ was computed at
  mutable std::vector<double> value_cache_;
  mutable std::vector<double> price_of_contract_;  // scratch of cluster_value_usd_per_mwh: USD per GPU-hour
  GpuFarm farm_;
  std::vector<StreamRun> streams_;
  std::vector<ContractRun> contracts_;
  std::unique_ptr<GpuPriceModel> gpu_price_;
  std::optional<AiShock> shock_;
  sim::Rng price_rng_;
  double price_usd_per_gpu_hour_ = 0.0;
  double price_factor_ = 1.0;
  double demand_factor_ = 1.0;
  sim::Flow* revenue_ = nullptr;
  sim::Flow* sla_ = nullptr;
  sim::Flow* depreciation_ = nullptr;
  sim::Flow* work_lost_ = nullptr;
  // Revenue by source (ledger accounts): colocation rent, power passed through, GPU-hour
  // rental, training deals, spot GPU-hours of jobs without a contract; and the GPUs bought.
  sim::Flow* rent_ = nullptr;
  sim::Flow* passthrough_ = nullptr;
  sim::Flow* gpu_hours_ = nullptr;
  sim::Flow* training_ = nullptr;
  sim::Flow* spot_ = nullptr;
  sim::Flow* capex_ = nullptr;
  sim::Flow* utilization_gpu_s_ = nullptr;  // ∫ busy owned GPUs dt, for the mean utilisation
  sim::Flow* installed_gpu_s_ = nullptr;    // ∫ owned GPUs in place dt, its denominator
  sim::Flow scratch_[11];  // stand in for the ledger's flows before start()
};

}  // namespace hybridsim::models::ai
