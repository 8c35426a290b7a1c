#pragma once
/// AiContract: how a customer pays for AI capacity. A contract's revenue rate is a function
/// of the state below, constant between events; its life (start, term, renewal, default) is
/// common to every kind and kept in ContractTerms.
#include <optional>
#include <string>
#include <vector>

#include "sim/core/time.hpp"

namespace hybridsim::models::ai {

/// The billing month of every "per month" price: 30 days = 2,592,000 s.
inline constexpr sim::SimTime kSecondsPerBillingMonth = 30 * 86400;

/// What a contract's revenue depends on, constant between events.
struct ContractState {
  sim::SimTime since_start_s = 0;        ///< time since the contract first began
  double power_price_usd_per_mwh = 0.0;  ///< the world's grid price now
  double spot_usd_per_gpu_hour = 0.0;    ///< the GPU-hour spot price now
  int busy_gpus = 0;                     ///< owned GPUs busy on this contract's jobs
  double tenant_demand_it_mw = 0.0;      ///< critical-IT power the tenant's GPUs want
  double tenant_delivered_it_mw = 0.0;   ///< critical-IT power the facility delivers to them
  double tenant_grid_mw = 0.0;           ///< the delivered power at the meter (× PUE)
};

/// The life of a contract, common to every kind.
struct ContractTerms {
  std::string name;
  sim::SimTime start_s = 0;     ///< seconds since the epoch (may be negative: began before the run)
  std::string starts_with;      ///< a conversion's name: begins at its completion (start_s unused)
  sim::SimTime term_s = 0;      ///< 0: open-ended
  double renewal_probability = 0.0;  ///< at each term's end, renewed for another term with this probability
  double default_hazard_per_year = 0.0;  ///< counterparty default: time to default ~ Exp(hazard)
  int priority = 0;             ///< its jobs' scheduling priority (higher first)
};

/// Where a contract's revenue goes in the ledger (docs/models/finance.md).
enum class RevenueSource { kColocation, kGpuHours, kTraining };

class AiContract {
 public:
  virtual ~AiContract() = default;
  /// The ledger account its revenue is booked to (colocation: rent, and power passed through
  /// on its own account).
  virtual RevenueSource source() const = 0;
  /// The part of revenue_usd_per_s that is energy passed through to the tenant, USD/s.
  virtual double passthrough_usd_per_s(const ContractState& state) const { (void)state; return 0.0; }
  /// Revenue while the contract is active, USD/s.
  virtual double revenue_usd_per_s(const ContractState& state) const = 0;
  /// Credits owed to the customer for service below the commitment, USD/s (>= 0).
  virtual double sla_credits_usd_per_s(const ContractState& state) const { (void)state; return 0.0; }
  /// Times since the contract's start at which the revenue rate steps by itself (ramps).
  virtual std::vector<sim::SimTime> breakpoints_s() const { return {}; }
  /// True if the contract hosts a tenant's clusters (colocation), false if it bills jobs.
  virtual bool hosts_tenant() const { return false; }
  /// The price its jobs' GPU-hours are billed at, USD per GPU-hour; nullopt when it has none
  /// (the spot price stands in). Values an owned cluster's busy GPUs (value_usd_per_mwh).
  virtual std::optional<double> usd_per_gpu_hour() const { return std::nullopt; }
  /// Colocation: what one grid MWh not delivered to its tenant costs the facility, USD/MWh,
  /// in a hall of the given PUE at the given grid price (0 for contracts that host no tenant).
  virtual double tenant_value_usd_per_grid_mwh(double pue, double power_price_usd_per_mwh) const {
    (void)pue;
    (void)power_price_usd_per_mwh;
    return 0.0;
  }
};

}  // namespace hybridsim::models::ai
