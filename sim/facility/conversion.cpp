#include "sim/facility/conversion.hpp"

#include <stdexcept>

namespace hybridsim::sim {

Conversions::Conversions(std::vector<ConversionSpec> specs, PowerArbiter& arbiter, std::vector<FacilityPart*> parts,
                         std::function<std::optional<double>(const std::string&)> signal)
    : specs_(std::move(specs)), arbiter_(arbiter), parts_(std::move(parts)), signal_(std::move(signal)) {
  started_s_.assign(specs_.size(), -1);
  below_since_s_.assign(specs_.size(), -1);
}

void Conversions::start(RunContext& ctx) {
  engine_ = &ctx.engine;
  horizon_s_ = ctx.build.horizon_s;
  capex_ = &ctx.ledger.account("conversion_capex", AccountKind::kCapital, CashSign::kOut);
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    const ConversionSpec& c = specs_[i];
    if (c.at_s) {
      if (*c.at_s <= horizon_s_) ctx.engine.at(std::max<SimTime>(0, *c.at_s), [this, i] { begin(i); }, priority::kFacility);
    } else if (c.trigger) {
      ctx.engine.every(c.trigger->check_every_s, c.trigger->check_every_s, [this, i] { check(i); },
                                    priority::kFacility);
    }
  }
  ctx.recorder.flow({"conversion_capex_usd", "USD", "capital spent on conversions (mining to HPC)"}, *capex_);
  ctx.recorder.stock({"conversion_dark_mw", "MW", "grid MW of halls dark while being converted"},
                     [this] { return dark_mw_; });
}

void Conversions::check(std::size_t i) {
  if (started_s_[i] >= 0) return;
  const ConversionTrigger& t = *specs_[i].trigger;
  const auto v = signal_(t.signal);
  if (!v) throw std::logic_error("conversion " + specs_[i].name + ": no part publishes the signal " + t.signal);
  const SimTime now = engine_->now();
  if (!(*v < t.below)) {
    below_since_s_[i] = -1;
    return;
  }
  if (below_since_s_[i] < 0) below_since_s_[i] = now;
  if (now - below_since_s_[i] >= t.for_s) begin(i);  // later checks return at once
}

void Conversions::begin(std::size_t i) {
  const ConversionSpec& c = specs_[i];
  started_s_[i] = engine_->now();
  const std::size_t from = arbiter_.hall_index(c.from);
  // The machines leave first, so that the decision the lower limit forces sees the hall as it is.
  for (FacilityPart* p : parts_) p->remove_capacity(c.from, c.mw);
  arbiter_.add_hall_limit_mw(from, -c.mw);
  capex_->add(c.mw * c.capex_usd_per_mw);
  dark_mw_ += c.mw;
  if (engine_->now() + c.lead_time_s <= horizon_s_)
    engine_->after(c.lead_time_s, [this, i] { complete(i); }, priority::kWorld);
}

void Conversions::complete(std::size_t i) {
  const ConversionSpec& c = specs_[i];
  const std::size_t to = arbiter_.hall_index(c.to);
  dark_mw_ -= c.mw;
  arbiter_.add_hall_limit_mw(to, c.mw);
  for (FacilityPart* p : parts_) p->on_milestone(c.name);
}

}  // namespace hybridsim::sim
