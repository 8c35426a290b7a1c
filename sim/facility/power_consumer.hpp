#pragma once
/// PowerConsumer: anything that draws grid power and obeys a limit — an ASIC cohort, a GPU
/// cluster (owned or a tenant's). The PowerArbiter is the only code that sets limits.
///
/// Powers are grid MW, the hall's PUE included (the consumer knows its hall's PUE). Between
/// events power_mw() is constant and never above the last limit set: lowering the limit
/// takes effect at once (machines stop, GPUs cap their power or jobs are preempted), so the
/// interconnect cap holds at every instant. Raising it may be followed only as fast as the
/// consumer can start (an ASIC cohort's ramp): max_power_mw() says how far it can go now.
#include <functional>
#include <string>

namespace hybridsim::sim {

enum class LoadKind { kAsic, kGpu };

/// What a decision reads of a consumer, taken in one call (PowerConsumer::reading).
struct PowerReading {
  LoadKind kind = LoadKind::kAsic;
  double power_mw = 0.0;
  double min_mw = 0.0;
  double max_mw = 0.0;
  double nameplate_mw = 0.0;
  double limit_mw = 0.0;
  double value_usd_per_mwh = 0.0;
  bool curtailable = true;
};

/// The reading of `c` through its accessors. A final consumer class returns
/// `read_power(*this)` from its reading(): the calls then bind statically and inline, so the
/// arbiter pays one virtual call a consumer per decision instead of eight.
template <class Consumer>
PowerReading read_power(const Consumer& c) {
  return PowerReading{c.kind(),         c.power_mw(),       c.min_power_mw(),      c.max_power_mw(),
                      c.nameplate_mw(), c.power_limit_mw(), c.value_usd_per_mwh(), c.curtailable()};
}

class PowerConsumer {
 public:
  virtual ~PowerConsumer() = default;

  /// Unique among the facility's consumers (cohort or cluster name); output coordinate.
  virtual const std::string& name() const = 0;
  /// The hall it stands in (by name, as in facility.halls).
  virtual const std::string& hall() const = 0;
  /// Fixed for the consumer's life (the arbiter reads it once).
  virtual LoadKind kind() const = 0;

  /// Grid power drawn now, MW.
  virtual double power_mw() const = 0;
  /// The least it can be brought down to now without harm it would not accept, MW (an ASIC
  /// cohort ramping down: its ramp; a GPU cluster: 0). The arbiter may still go lower to
  /// keep the cap (the cap is hard).
  virtual double min_power_mw() const = 0;
  /// The most it would draw now if allowed, MW: its demand (machines available and wanted
  /// within the ramp; GPUs that running and queued jobs would use, idle ones at idle power).
  virtual double max_power_mw() const = 0;
  /// The most it could ever draw, MW (every machine at load): what a static split reserves.
  virtual double nameplate_mw() const = 0;
  /// Obeys a grid-power limit, MW (>= 0) at once; the consumer keeps power_mw() <= limit.
  virtual void set_power_limit_mw(double limit_mw) = 0;
  virtual double power_limit_mw() const = 0;

  /// What one more MWh of grid energy is worth to it now, USD/MWh, before paying for the
  /// energy: mining, hashprice net of the pool fee × TH/s per MW / 24; GPUs, the contracted
  /// revenue at risk, SLA credits and the work a preemption would lose. A policy curtails
  /// a consumer whose value is below the power price.
  virtual double value_usd_per_mwh() const = 0;
  /// False for consumers that must run whatever the price (a cohort with `shutoff: false`, a
  /// tenant under contract): policies curtail them only to keep the cap.
  virtual bool curtailable() const { return true; }
  /// All of the above at once (the arbiter reads it at every decision). An override must
  /// give the accessors' values: `return read_power(*this);` in a final class, or the same
  /// with terms they share computed once.
  virtual PowerReading reading() const { return read_power(*this); }

  /// Set by the arbiter: call demand_changed() when max_power_mw() or the value moves
  /// outside a decision (a job arrives, a lease starts or ends) so the arbiter decides again.
  void set_demand_listener(std::function<void()> listener) { listener_ = std::move(listener); }

 protected:
  void demand_changed() {
    if (listener_) listener_();
  }

 private:
  std::function<void()> listener_;
};

}  // namespace hybridsim::sim
