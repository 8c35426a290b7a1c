#pragma once
/// GpuClusterConsumer: one GPU cluster of the AI part — owned or a tenant's — as the
/// PowerArbiter sees it (sim::PowerConsumer). It holds no state of its own: the AiPart that
/// made it keeps the cluster's jobs, lease and limit, and answers for it by the cluster's
/// index (declaration order in gpu_clusters). Powers are grid MW, the hall's PUE included.
///
/// - Tenant cluster (curtailable: false): draws P = min(W, L) while its lease is active, with
///   W = count · (load · power_w + (1 − load) · idle_w) · PUE its demand and L its limit, and
///   nothing otherwise; max_power_mw() = W while active, else 0. A shortfall W − P is owed
///   SLA credits through the lease (ContractState's delivered vs demanded IT power).
/// - Owned cluster: the GpuFarm's cluster under the budget B = L (capping, then preemption;
///   see GpuFarm); max_power_mw() is GpuFarm::demand_mw.
///
/// min_power_mw() is 0 for both (GPUs can be stopped at once); nameplate_mw() is
/// count · power_w · PUE. Until the arbiter sets a limit there is none (infinity).
/// demand_changed() fires when a job that could run on the cluster arrives, a job on it
/// ends, a contract's jobs are cancelled, or a lease starts or ends.
#include <string>

#include "sim/facility/power_consumer.hpp"

namespace hybridsim::models::ai {

class AiPart;

class GpuClusterConsumer final : public sim::PowerConsumer {
 public:
  GpuClusterConsumer(AiPart& part, int cluster) : part_(part), cluster_(cluster) {}

  const std::string& name() const override;
  const std::string& hall() const override;
  sim::LoadKind kind() const override { return sim::LoadKind::kGpu; }
  double power_mw() const override;
  double min_power_mw() const override { return 0.0; }
  double max_power_mw() const override;
  double nameplate_mw() const override;
  void set_power_limit_mw(double limit_mw) override;
  double power_limit_mw() const override;
  /// See AiPart::cluster_value_usd_per_mwh for the formulas.
  double value_usd_per_mwh() const override;
  /// Tenants run whatever the price (their lease carries SLA credits); owned clusters may be
  /// curtailed when their work is worth less than the power.
  bool curtailable() const override;
  sim::PowerReading reading() const override;

  /// Index of the cluster in the AI part (declaration order).
  int cluster() const { return cluster_; }
  /// For the AiPart: the cluster's demand or value moved outside a decision.
  void notify_demand_changed() { demand_changed(); }

 private:
  AiPart& part_;
  int cluster_;
};

}  // namespace hybridsim::models::ai
