#include "sim/facility/power_arbiter.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace hybridsim::sim {
namespace {
// Limits are sums of doubles: allow the rounding of a sum, never a real excess.
constexpr double kRelTolerance = 1e-12;
bool above(double mw, double limit_mw) { return mw > limit_mw * (1 + kRelTolerance) + 1e-12; }
}  // namespace

PowerArbiter::PowerArbiter(std::vector<HallSpec> halls, std::vector<CapStep> cap_steps,
                           std::unique_ptr<DispatchPolicy> policy, SimTime decision_step_s)
    : halls_(std::move(halls)),
      cap_steps_(std::move(cap_steps)),
      policy_(std::move(policy)),
      decision_step_s_(decision_step_s) {
  if (halls_.empty()) throw std::logic_error("PowerArbiter: no halls");
  if (cap_steps_.empty() || cap_steps_.front().from_s > 0) throw std::logic_error("PowerArbiter: no cap at the start");
  if (decision_step_s_ <= 0) throw std::logic_error("PowerArbiter: decision step must be positive");
  hall_sum_mw_.assign(halls_.size(), 0.0);
  for (const auto& h : halls_) {
    hall_limit_mw_.push_back(h.limit_mw);
    hall_step_mw_.push_back(h.limit_mw);
    hall_added_mw_.push_back(0.0);
  }
  // The cap in force at time 0: the last step at or before it.
  for (const auto& s : cap_steps_)
    if (s.from_s <= 0) cap_mw_ = s.mw;
}

void PowerArbiter::add(PowerConsumer& consumer) {
  for (std::size_t h = 0; h < halls_.size(); ++h) {
    if (halls_[h].name == consumer.hall()) {
      consumers_.push_back(&consumer);
      hall_of_.push_back(h);
      asic_.push_back(consumer.kind() == LoadKind::kAsic);
      if (policy_->follows_demand()) consumer.set_demand_listener([this] { request_decision(); });
      return;
    }
  }
  throw std::logic_error("consumer " + consumer.name() + " stands in unknown hall " + consumer.hall());
}

void PowerArbiter::start(Engine& engine) {
  engine_ = &engine;
  for (const auto& s : cap_steps_) {
    if (s.from_s <= 0) continue;
    const double mw = s.mw;
    engine.at(s.from_s, [this, mw] {
      cap_mw_ = mw;
      // A lower cap must hold from this instant on: decide at once, not later in the instant.
      decide();
    }, priority::kWorld);
  }
  for (std::size_t h = 0; h < halls_.size(); ++h) {
    for (const auto& s : halls_[h].limit_steps) {
      if (s.from_s <= 0) continue;  // in limit_mw already
      const double mw = s.mw;
      engine.at(s.from_s, [this, h, mw] {
        hall_step_mw_[h] = mw;
        apply_hall_limit(h);
      }, priority::kWorld);
    }
  }
  // The decision step guarantees a decision at least this often: when one already ran at
  // this instant, or one is asked for later in it (a price change, a demand change), the
  // step has nothing to add.
  engine.every(decision_step_s_, decision_step_s_, [this] {
    if (last_decision_s_ != engine_->now() && !pending_) decide();
  }, priority::kDecision);
  decide();
}

std::size_t PowerArbiter::hall_index(const std::string& name) const {
  for (std::size_t h = 0; h < halls_.size(); ++h)
    if (halls_[h].name == name) return h;
  throw std::logic_error("PowerArbiter: unknown hall " + name);
}

void PowerArbiter::add_hall_limit_mw(std::size_t h, double delta_mw) {
  hall_added_mw_[h] += delta_mw;
  apply_hall_limit(h);
}

void PowerArbiter::apply_hall_limit(std::size_t h) {
  const double limit_mw = std::max(0.0, hall_step_mw_[h] + hall_added_mw_[h]);
  const bool lower = limit_mw < hall_limit_mw_[h];
  hall_limit_mw_[h] = limit_mw;
  if (lower) {
    decide();
  } else {
    request_decision();
  }
}

double PowerArbiter::max_cap_mw() const {
  double mw = 0.0;
  for (const auto& s : cap_steps_) mw = std::max(mw, s.mw);
  return mw;
}

void PowerArbiter::set_prices(double price_usd_per_mwh, double effective_price_usd_per_mwh) {
  if (price_usd_per_mwh == price_usd_per_mwh_ && effective_price_usd_per_mwh == effective_price_usd_per_mwh_) return;
  price_usd_per_mwh_ = price_usd_per_mwh;
  effective_price_usd_per_mwh_ = effective_price_usd_per_mwh;
  if (engine_) request_decision();
}

void PowerArbiter::request_decision() {
  if (pending_ || deciding_ || !engine_) return;
  pending_ = true;
  engine_->at(engine_->now(), [this] {
    pending_ = false;
    decide();
  }, priority::kDecision);
}

void PowerArbiter::decide() {
  deciding_ = true;
  ++decisions_;
  last_decision_s_ = engine_ ? engine_->now() : 0;
  const std::size_t n = consumers_.size();
  views_.resize(n);
  limits_.assign(n, 0.0);
  old_limit_mw_.resize(n);
  lowering_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const PowerConsumer& c = *consumers_[i];
    const PowerReading r = c.reading();
    views_[i] = ConsumerView{&c,       hall_of_[i],    r.kind,         r.power_mw,   r.min_mw,
                             r.max_mw, r.nameplate_mw, r.value_usd_per_mwh, r.curtailable};
    old_limit_mw_[i] = r.limit_mw;
  }
  DispatchInput in;
  in.now_s = engine_ ? engine_->now() : 0;
  in.cap_mw = cap_mw_;
  in.price_usd_per_mwh = price_usd_per_mwh_;
  in.effective_price_usd_per_mwh = effective_price_usd_per_mwh_;
  in.consumers = views_;
  in.hall_limit_mw = hall_limit_mw_;
  policy_->decide(in, limits_);
  enforce(limits_);

  // Lower limits first, so that at no point of the applying does the total exceed the cap
  // (a consumer whose limit rises may start drawing at once).
  // Each consumer is told its limit exactly once: which ones are lowered is fixed before the
  // first pass (a consumer lowered in it would otherwise look unchanged, and be told again).
  for (std::size_t i = 0; i < n; ++i) lowering_[i] = limits_[i] < old_limit_mw_[i];
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t i = 0; i < n; ++i)
      if ((pass == 0) == static_cast<bool>(lowering_[i])) consumers_[i]->set_power_limit_mw(limits_[i]);

  // The invariant after applying: each consumer within what it was just granted (read
  // from limits_, not asked of each consumer again), so each hall and the cap hold.
  (void)check_invariants(limits_);

  // What the decision left unserved, and why: a consumer worth the effective price was
  // stopped by the cap or a hall limit; one worth the price but not the effective price by
  // demand response; the rest by the price.
  curtailed_mw_ = 0.0;
  double by_reason[4] = {0, 0, 0, 0};
  for (std::size_t i = 0; i < n; ++i) {
    const ConsumerView& v = views_[i];
    const double short_mw = v.max_mw - limits_[i];
    if (short_mw <= 1e-9) continue;
    curtailed_mw_ += short_mw;
    const bool wanted = !v.curtailable || v.value_usd_per_mwh >= effective_price_usd_per_mwh_;
    const bool worth_price = v.value_usd_per_mwh >= price_usd_per_mwh_;
    by_reason[static_cast<int>(wanted ? CurtailReason::kCap
                               : worth_price ? CurtailReason::kDemandResponse
                                             : CurtailReason::kPrice)] += short_mw;
  }
  curtail_reason_ = CurtailReason::kNone;
  double most = 0.0;
  for (int r = 1; r < 4; ++r)
    if (by_reason[r] > most) {
      most = by_reason[r];
      curtail_reason_ = static_cast<CurtailReason>(r);
    }
  deciding_ = false;
}

void PowerArbiter::enforce(std::vector<double>& limit_mw) const {
  // A policy is trusted to fit; this only scales down what it overshot (by a rounding or a
  // bug), so the cap and the hall limits hold whatever the policy does.
  std::vector<double>& hall_sum = hall_sum_mw_;
  std::fill(hall_sum.begin(), hall_sum.end(), 0.0);
  double total = 0.0;
  for (std::size_t i = 0; i < limit_mw.size(); ++i) {
    double& l = limit_mw[i];
    if (!(l >= 0.0)) l = 0.0;  // also catches NaN
    hall_sum[hall_of_[i]] += l;
    total += l;
  }
  bool hall_over = false;
  for (std::size_t h = 0; h < halls_.size(); ++h) hall_over |= hall_sum[h] > hall_limit_mw_[h];
  if (hall_over) {
    total = 0.0;
    for (std::size_t i = 0; i < limit_mw.size(); ++i) {
      const std::size_t h = hall_of_[i];
      if (hall_sum[h] > hall_limit_mw_[h]) limit_mw[i] *= hall_limit_mw_[h] / hall_sum[h];
      total += limit_mw[i];
    }
  }
  if (total > cap_mw_)
    for (double& l : limit_mw) l *= cap_mw_ / total * (1 - 1e-15);
}

double PowerArbiter::grid_power_mw() const {
  double mw = 0.0;
  for (const auto* c : consumers_) mw += c->power_mw();
  return mw;
}

double PowerArbiter::hall_power_mw(std::size_t h) const {
  PowerBreakdown b;
  breakdown(b);
  return b.hall_mw[h];
}

double PowerArbiter::power_mw(LoadKind kind) const {
  PowerBreakdown b;
  breakdown(b);
  return kind == LoadKind::kAsic ? b.asic_mw : b.gpu_mw;
}

double PowerArbiter::it_power_mw() const {
  PowerBreakdown b;
  breakdown(b);
  return b.it_mw;
}

void PowerArbiter::breakdown(PowerBreakdown& out) const {
  out.grid_mw = out.it_mw = out.asic_mw = out.gpu_mw = 0.0;
  out.hall_mw.resize(halls_.size());
  std::fill(out.hall_mw.begin(), out.hall_mw.end(), 0.0);
  for (std::size_t i = 0; i < consumers_.size(); ++i) {
    const double mw = consumers_[i]->power_mw();
    out.grid_mw += mw;
    out.it_mw += mw / halls_[hall_of_[i]].pue;
    (asic_[i] ? out.asic_mw : out.gpu_mw) += mw;
    out.hall_mw[hall_of_[i]] += mw;
  }
}

double PowerArbiter::check_invariants(std::span<const double> limit_mw) const {
  double total = 0.0;
  std::vector<double>& hall_sum = hall_sum_mw_;
  std::fill(hall_sum.begin(), hall_sum.end(), 0.0);
  for (std::size_t i = 0; i < consumers_.size(); ++i) {
    const double mw = consumers_[i]->power_mw();
    const double limit = limit_mw.empty() ? consumers_[i]->power_limit_mw() : limit_mw[i];
    if (!(mw >= 0.0) || above(mw, limit))
      throw std::logic_error("invariant broken: " + consumers_[i]->name() + " draws " + std::to_string(mw) +
                             " MW, its limit is " + std::to_string(limit) + " MW");
    hall_sum[hall_of_[i]] += mw;
    total += mw;
  }
  for (std::size_t h = 0; h < halls_.size(); ++h)
    if (above(hall_sum[h], hall_limit_mw_[h]))
      throw std::logic_error("invariant broken: hall " + halls_[h].name + " draws " + std::to_string(hall_sum[h]) +
                             " MW, its limit is " + std::to_string(hall_limit_mw_[h]) + " MW");
  if (above(total, cap_mw_))
    throw std::logic_error("invariant broken: grid power " + std::to_string(total) + " MW exceeds the cap " +
                           std::to_string(cap_mw_) + " MW");
  return total;
}

}  // namespace hybridsim::sim
