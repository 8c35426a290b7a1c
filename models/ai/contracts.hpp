#pragma once
/// The shipped AI contracts: colocation lease, GPU-hour rental, fixed-term training deal.
#include <algorithm>
#include <cstdint>

#include "models/ai/ai_contract.hpp"

namespace hybridsim::models::ai {

/// Colocation lease (Core Scientific–CoreWeave style): the tenant owns the GPUs; the facility
/// sells critical-IT capacity. With C the committed critical-IT MW, p the price in USD per
/// kW-month (a 30-day month, kSecondsPerBillingMonth), D the delivered IT MW:
///
///   rent   = p · 1000 · B / 2,592,000 s        B = C (take-or-pay) or min(C, D)
///   energy = price_grid · P_grid / 3600 s      only when power is passed through
///   credit = k · p · 1000 · max(0, min(W, C) − D) / 2,592,000 s    W: IT the tenant wants
///
/// e.g. 200 MW at $121/kW-month earns $24.2M per 30-day month (Core
/// Scientific–CoreWeave contract announcements, 2024 [2nd]: ≈ $121/kW-month, power passed through).
class ColocationLease final : public AiContract {
 public:
  ColocationLease(double committed_mw, double usd_per_kw_month, bool take_or_pay, bool pass_through, double sla_credit_multiple)
      : committed_mw_(committed_mw), usd_per_kw_month_(usd_per_kw_month), take_or_pay_(take_or_pay),
        pass_through_(pass_through), sla_credit_multiple_(sla_credit_multiple) {}

  double revenue_usd_per_s(const ContractState& s) const override {
    const double billed_mw = take_or_pay_ ? committed_mw_ : std::min(committed_mw_, s.tenant_delivered_it_mw);
    return per_mw_per_s() * billed_mw + passthrough_usd_per_s(s);
  }
  RevenueSource source() const override { return RevenueSource::kColocation; }
  double passthrough_usd_per_s(const ContractState& s) const override {
    return pass_through_ ? s.power_price_usd_per_mwh * s.tenant_grid_mw / 3600.0 : 0.0;
  }
  double sla_credits_usd_per_s(const ContractState& s) const override {
    const double shortfall_mw = std::max(0.0, std::min(s.tenant_demand_it_mw, committed_mw_) - s.tenant_delivered_it_mw);
    return sla_credit_multiple_ * per_mw_per_s() * shortfall_mw;
  }
  bool hosts_tenant() const override { return true; }
  double committed_mw() const { return committed_mw_; }
  /// A grid MWh not delivered is 1/PUE MWh of critical IT short: the rent on it (not billed
  /// unless take-or-pay), k times that in SLA credits, and the energy passed through:
  ///
  ///   value = (1 + k) · p · 1000 / 720 h / PUE + (pass_through ? price_grid : 0)   [USD/MWh]
  ///
  /// (p · 1000 / 720 h: USD per MW-hour of IT in a 30-day month.) Take-or-pay rent is owed
  /// whatever is delivered; it is counted anyway, as what the tenant pays for that MWh.
  double tenant_value_usd_per_grid_mwh(double pue, double power_price_usd_per_mwh) const override {
    const double rent_usd_per_it_mwh = per_mw_per_s() * 3600.0;
    return (1.0 + sla_credit_multiple_) * rent_usd_per_it_mwh / pue + (pass_through_ ? power_price_usd_per_mwh : 0.0);
  }

 private:
  double per_mw_per_s() const { return usd_per_kw_month_ * 1000.0 / static_cast<double>(kSecondsPerBillingMonth); }
  double committed_mw_;
  double usd_per_kw_month_;
  bool take_or_pay_;
  bool pass_through_;
  double sla_credit_multiple_;
};

/// GPU-hour rental on the facility's own GPUs (Northern Data, IREN style): `reserved_gpus`
/// are paid at the reserved price whether used or not; the customer's jobs beyond them pay
/// the spot price while they run:
///
///   revenue = (R · p_reserved + max(0, busy − R) · p_spot) / 3600 s
class GpuHourRental final : public AiContract {
 public:
  GpuHourRental(int reserved_gpus, double reserved_usd_per_gpu_hour)
      : reserved_gpus_(reserved_gpus), reserved_usd_per_gpu_hour_(reserved_usd_per_gpu_hour) {}
  double revenue_usd_per_s(const ContractState& s) const override {
    const int spot_gpus = std::max(0, s.busy_gpus - reserved_gpus_);
    return (reserved_gpus_ * reserved_usd_per_gpu_hour_ + spot_gpus * s.spot_usd_per_gpu_hour) / 3600.0;
  }
  RevenueSource source() const override { return RevenueSource::kGpuHours; }
  /// The reserved price (the contract's own price; GPUs beyond the reservation pay spot).
  std::optional<double> usd_per_gpu_hour() const override { return reserved_usd_per_gpu_hour_; }

 private:
  int reserved_gpus_;
  double reserved_usd_per_gpu_hour_;
};

/// Fixed-term training deal: the customer pays for N committed GPUs at a fixed price per
/// GPU-hour, take-or-pay, ramping up in n equal steps over the ramp period T:
///
///   committed(t) = N · min(1, ⌊t · n / T⌋ / n)     (N from the start when there is no ramp)
///   revenue      = committed(t) · p / 3600 s
class TrainingDeal final : public AiContract {
 public:
  TrainingDeal(int gpus, double usd_per_gpu_hour, sim::SimTime ramp_s, int ramp_steps)
      : gpus_(gpus), usd_per_gpu_hour_(usd_per_gpu_hour), ramp_s_(ramp_s), ramp_steps_(std::max(1, ramp_steps)) {}
  double committed_gpus(sim::SimTime since_start_s) const {
    if (ramp_s_ <= 0 || since_start_s >= ramp_s_) return gpus_;
    if (since_start_s < 0) return 0.0;
    const std::int64_t step = since_start_s * ramp_steps_ / ramp_s_;
    return gpus_ * static_cast<double>(step) / ramp_steps_;
  }
  double revenue_usd_per_s(const ContractState& s) const override {
    return committed_gpus(s.since_start_s) * usd_per_gpu_hour_ / 3600.0;
  }
  std::optional<double> usd_per_gpu_hour() const override { return usd_per_gpu_hour_; }
  RevenueSource source() const override { return RevenueSource::kTraining; }
  std::vector<sim::SimTime> breakpoints_s() const override {
    std::vector<sim::SimTime> out;
    if (ramp_s_ <= 0) return out;
    // The first instant at which ⌊t·n/T⌋ reaches k: ⌈k·T/n⌉.
    for (int k = 1; k <= ramp_steps_; ++k) out.push_back((k * ramp_s_ + ramp_steps_ - 1) / ramp_steps_);
    return out;
  }

 private:
  int gpus_;
  double usd_per_gpu_hour_;
  sim::SimTime ramp_s_;
  int ramp_steps_;
};

}  // namespace hybridsim::models::ai
