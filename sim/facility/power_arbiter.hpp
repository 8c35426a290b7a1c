#pragma once
/// PowerArbiter: the only code that grants megawatts.
///
/// It holds the interconnect cap (a step function of time), the halls (each with a limit that
/// may also step over time, and move with conversions) and every power
/// consumer. At each decision point — the decision step, a price change, a cap step, a
/// demand-response event, a consumer's demand change (for policies that follow demand) — it
/// takes a snapshot of the consumers, asks the dispatch policy for limits, enforces the hall
/// limits and the cap, and applies the limits. Decisions asked for at one instant are
/// coalesced into one, run after that instant's world and facility events. A decision costs
/// O(consumers) plus the policy's own sort.
///
/// Invariant (checked by check_invariants() before every clock step): every consumer draws
/// at most its limit, every hall at most its limit, the facility at most the cap.
#include <cstdint>
#include <memory>
#include <string>
#include <span>
#include <vector>

#include "sim/core/engine.hpp"
#include "sim/facility/dispatch_policy.hpp"
#include "sim/facility/hall.hpp"
#include "sim/facility/power_consumer.hpp"

namespace hybridsim::sim {

/// The cap from `from_s` (seconds since the epoch) until the next step.
struct CapStep {
  SimTime from_s = 0;
  double mw = 0.0;
};

/// Why a consumer draws less than its demand, as recorded in `curtail_reason`.
enum class CurtailReason : int { kNone = 0, kPrice = 1, kCap = 2, kDemandResponse = 3 };

class PowerArbiter {
 public:
  /// `cap_steps` sorted by time, the first at or before 0; `decision_step_s` > 0.
  PowerArbiter(std::vector<HallSpec> halls, std::vector<CapStep> cap_steps, std::unique_ptr<DispatchPolicy> policy,
               SimTime decision_step_s);

  /// Adds a consumer; its hall must be one of the halls (std::logic_error otherwise).
  void add(PowerConsumer& consumer);
  /// Schedules the decision step and the cap steps and makes the first decision now.
  void start(Engine& engine);
  /// Sets the marginal and the effective price (with DR credits and peak charges) that the
  /// next decision sees, and asks for one if either changed.
  void set_prices(double price_usd_per_mwh, double effective_price_usd_per_mwh);
  /// Asks for a decision at the current instant (one per instant, however often asked).
  void request_decision();
  /// Decides now (the decision step and tests call this directly).
  void decide();

  double cap_mw() const { return cap_mw_; }
  double max_cap_mw() const;
  /// Grid power drawn now, MW (the kernel bills it at every clock step that changes a rate).
  double grid_power_mw() const;
  /// Grid power drawn now in all, by kind of load, in each hall, and the IT power (Σ over the
  /// consumers of grid power / their hall's PUE), MW, in one pass over the consumers: what a
  /// recorded sample reads. The grid total is summed in the order grid_power_mw() sums it.
  struct PowerBreakdown {
    double grid_mw = 0.0, it_mw = 0.0, asic_mw = 0.0, gpu_mw = 0.0;
    std::vector<double> hall_mw;
  };
  void breakdown(PowerBreakdown& out) const;
  /// Single figures of breakdown() (tests read them).
  double hall_power_mw(std::size_t h) const;
  double power_mw(LoadKind kind) const;
  double it_power_mw() const;
  /// Demand the last decision left unserved, MW, and the main reason.
  double curtailed_mw() const { return curtailed_mw_; }
  CurtailReason curtail_reason() const { return curtail_reason_; }

  const std::vector<HallSpec>& halls() const { return halls_; }
  /// Index of the hall named `name` (std::logic_error if none).
  std::size_t hall_index(const std::string& name) const;
  /// Hall h's limit now, MW: max(0, its step now + what conversions added), infinity for a
  /// hall limited only by the cap.
  double hall_limit_mw(std::size_t h) const { return hall_limit_mw_[h]; }
  /// Moves hall h's limit by `delta_mw` on top of its steps (a conversion: −M from the hall
  /// converted, +M to the hall built). Like a step, a lower limit holds from this instant
  /// (decided at once), a higher one is offered at a decision later in the instant.
  void add_hall_limit_mw(std::size_t h, double delta_mw);
  const std::vector<PowerConsumer*>& consumers() const { return consumers_; }
  std::uint64_t decisions() const { return decisions_; }
  /// Throws std::logic_error naming what broke if a consumer, hall or the facility draws more
  /// than its limit; returns the grid power (the kernel checks before every clock step and
  /// bills what it checked, in one pass over the consumers). A consumer's limit is its own
  /// power_limit_mw(), or `limit_mw[i]` when given (a decision checks what it just granted).
  double check_invariants(std::span<const double> limit_mw = {}) const;

 private:
  void enforce(std::vector<double>& limit_mw) const;

  std::vector<HallSpec> halls_;
  void apply_hall_limit(std::size_t h);

  std::vector<double> hall_limit_mw_;
  std::vector<double> hall_step_mw_;   // per hall: the limit step in force (infinity: none)
  std::vector<double> hall_added_mw_;  // per hall: Σ MW conversions added (negative: taken)
  std::vector<CapStep> cap_steps_;
  std::unique_ptr<DispatchPolicy> policy_;
  SimTime decision_step_s_;
  std::vector<PowerConsumer*> consumers_;
  std::vector<std::size_t> hall_of_;
  std::vector<char> asic_;  // per consumer: its kind() is kAsic (a consumer's kind never changes)
  std::vector<ConsumerView> views_;
  std::vector<double> limits_;
  std::vector<char> lowering_;  // per consumer, in the decision being applied
  std::vector<double> old_limit_mw_;  // per consumer: its limit before the decision
  // Per-hall sums for enforce() and check_invariants(), which run at every decision and every
  // clock step: kept here so that neither allocates.
  mutable std::vector<double> hall_sum_mw_;
  Engine* engine_ = nullptr;
  double cap_mw_ = 0.0;
  double price_usd_per_mwh_ = 0.0;
  double effective_price_usd_per_mwh_ = 0.0;
  double curtailed_mw_ = 0.0;
  CurtailReason curtail_reason_ = CurtailReason::kNone;
  std::uint64_t decisions_ = 0;
  SimTime last_decision_s_ = -1;
  bool pending_ = false;
  bool deciding_ = false;
};

}  // namespace hybridsim::sim
