#pragma once
/// DispatchPolicy: decides how the interconnect's megawatts are split among the consumers.
///
/// The PowerArbiter calls decide() at every decision point with a snapshot of every
/// consumer, the cap and the prices; the policy writes one grid-power limit per consumer.
/// The arbiter then enforces the hall limits and the cap (a policy can't break them) and
/// applies the limits. Policies are small and stateless between calls, so they can be read
/// and tested against hand-computed cases.
#include <cstddef>
#include <span>

#include "sim/core/time.hpp"
#include "sim/facility/power_consumer.hpp"

namespace hybridsim::sim {

/// One consumer as the policy sees it at a decision.
struct ConsumerView {
  const PowerConsumer* consumer = nullptr;
  std::size_t hall = 0;  ///< index into DispatchInput::hall_limit_mw
  LoadKind kind = LoadKind::kAsic;
  double power_mw = 0.0;     ///< drawn now
  double min_mw = 0.0;       ///< least it accepts now (ramp)
  double max_mw = 0.0;       ///< its demand now
  double nameplate_mw = 0.0;
  double value_usd_per_mwh = 0.0;
  bool curtailable = true;
};

struct DispatchInput {
  SimTime now_s = 0;
  double cap_mw = 0.0;
  /// Marginal grid price now, USD/MWh.
  double price_usd_per_mwh = 0.0;
  /// What a MWh drawn now costs in all, USD/MWh: the price, plus the demand-response credit
  /// forgone during an event, plus the expected transmission charge in a predicted
  /// coincident-peak interval. A curtailable consumer worth less than this is curtailed.
  double effective_price_usd_per_mwh = 0.0;
  std::span<const ConsumerView> consumers;
  std::span<const double> hall_limit_mw;  ///< per hall, MW (infinity: none)
};

class DispatchPolicy {
 public:
  virtual ~DispatchPolicy() = default;
  /// Writes a grid-power limit (MW, >= 0) for each consumer, in the order of in.consumers.
  virtual void decide(const DispatchInput& in, std::span<double> limit_mw) = 0;
  /// False for policies that ignore demand (a static split): the arbiter then decides only
  /// at its decision step and on price or cap changes, not on every job arrival.
  virtual bool follows_demand() const { return true; }
};

/// The limit a consumer asks for at `price`: its demand if it earns more than the price
/// (or may not be curtailed), else the least its ramp allows.
inline double economic_target_mw(const ConsumerView& c, double price_usd_per_mwh) {
  return (!c.curtailable || c.value_usd_per_mwh >= price_usd_per_mwh) ? c.max_mw : c.min_mw;
}

}  // namespace hybridsim::sim
