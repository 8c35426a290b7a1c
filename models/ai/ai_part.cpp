#include "models/ai/ai_part.hpp"

#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

#include "sim/core/time.hpp"

namespace hybridsim::models::ai {
namespace {

std::vector<ClusterSpec> owned_of(const std::vector<ClusterSpec>& all) {
  std::vector<ClusterSpec> out;
  for (const auto& c : all)
    if (!c.tenant) out.push_back(c);
  return out;
}

}  // namespace

AiPart::AiPart(AiParts parts)
    : farm_(owned_of(parts.clusters), std::move(parts.scheduler), static_cast<int>(parts.contracts.size())),
      gpu_price_(std::move(parts.gpu_price)),
      shock_(parts.shock),
      limit_mw_(std::numeric_limits<double>::infinity()) {
  if (!parts.clusters.empty()) shim_hall_ = parts.clusters.front().hall;
  for (auto& c : parts.clusters) {
    if (c.tenant) {
      if (c.contract < 0 || c.contract >= static_cast<int>(parts.contracts.size()) ||
          !parts.contracts[static_cast<std::size_t>(c.contract)].model->hosts_tenant())
        throw std::logic_error("tenant cluster " + c.name + " is not bound to a colocation contract");
      tenant_clusters_.push_back(c);
    } else if (c.purchase_usd_per_gpu > 0) {
      // At least one second, so that a vanishing period still depreciates the whole price.
      const auto years_s = std::max<sim::SimTime>(1, std::llround(c.depreciation_years * sim::kSecondsPerYear));
      farm_clusters_purchase_.push_back(c.count * c.purchase_usd_per_gpu);
      depreciation_steps_.emplace_back(years_s, c.count * c.purchase_usd_per_gpu / static_cast<double>(years_s));
    }
  }
  for (auto& s : parts.streams) streams_.push_back(StreamRun{std::move(s.model), std::move(s.contract_of_label), {}, {}});
  for (auto& k : parts.contracts) {
    ContractRun run;
    run.terms = std::move(k.terms);
    run.model = std::move(k.model);
    contracts_.push_back(std::move(run));
  }
  revenue_ = &scratch_[0];
  sla_ = &scratch_[1];
  depreciation_ = &scratch_[2];
  if (gpu_price_) price_usd_per_gpu_hour_ = gpu_price_->initial_usd_per_gpu_hour();
}

void AiPart::start(sim::RunContext& ctx) {
  engine_ = &ctx.engine;
  farm_.attach(ctx.engine);
  revenue_ = &ctx.ledger.flow();
  sla_ = &ctx.ledger.flow();
  depreciation_ = &ctx.ledger.flow();
  price_rng_ = ctx.rng.stream("gpu_price");
  renewal_rng_ = ctx.rng.stream("ai_renewal");
  shock_rng_ = ctx.rng.stream("ai_shock");
  demand_rng_ = ctx.rng.stream("ai_demand");
  const sim::SimTime horizon = ctx.build.horizon_s;
  horizon_s_ = horizon;
  for (const auto& c : farm_clusters_purchase_) ctx.cash_usd.add(-c);

  auto& rec = ctx.recorder;
  rec.stock_int({"gpus_busy", "1", "owned GPUs held by running jobs", ""}, [this] { return farm_.gpus_busy(); });
  rec.stock({"gpu_utilization", "1", "owned GPUs busy / owned GPUs", ""}, [this] {
    return farm_.owned_gpus() > 0 ? static_cast<double>(farm_.gpus_busy()) / farm_.owned_gpus() : 0.0;
  });
  rec.stock_int({"jobs_running", "1", "training jobs running", ""}, [this] { return farm_.jobs_running(); });
  rec.stock_int({"jobs_queued", "1", "training jobs waiting in the queue", ""}, [this] { return farm_.jobs_queued(); });
  rec.flow({"ai_revenue_usd", "USD", "revenue of the AI contracts (rent, GPU-hours, power passed through)", ""}, *revenue_);
  rec.flow({"sla_credits_usd", "USD", "SLA credits owed to colocation tenants", ""}, *sla_);
  rec.flow({"gpu_depreciation_usd", "USD", "straight-line depreciation of the owned GPUs", ""}, *depreciation_);
  rec.stock({"spot_gpu_price_usd_per_hour", "USD/h", "spot price of a GPU-hour", ""},
            [this] { return spot_usd_per_gpu_hour(); });

  for (std::size_t i = 0; i < streams_.size(); ++i) {
    streams_[i].rng = ctx.rng.stream(i == 0 ? std::string("jobs") : "jobs." + std::to_string(i));
    schedule_arrival(i);
  }

  if (gpu_price_ && gpu_price_->step_s() > 0) {
    const sim::SimTime step = gpu_price_->step_s();
    ctx.engine.every(
        step, step,
        [this, step] {
          price_usd_per_gpu_hour_ =
              gpu_price_->next_usd_per_gpu_hour(price_usd_per_gpu_hour_, engine_->now() - step, step, price_rng_);
        },
        sim::priority::kWorld);
  }

  sim::Rng default_rng = ctx.rng.stream("ai_default");
  for (int k = 0; k < static_cast<int>(contracts_.size()); ++k) {
    const ContractTerms& t = contracts_[k].terms;
    if (t.start_s <= 0) {
      activate(k);
    } else if (t.start_s <= horizon) {
      engine_->at(t.start_s, [this, k] { activate(k); }, sim::priority::kWorld);
    }
    if (t.term_s > 0) {
      sim::SimTime end = t.start_s + t.term_s;
      while (end <= 0) end += t.term_s;  // terms before the run are assumed renewed
      if (end <= horizon) engine_->at(end, [this, k] { on_term_end(k); }, sim::priority::kWorld);
    }
    if (t.default_hazard_per_year > 0) {
      const double years = std::exponential_distribution<double>(t.default_hazard_per_year)(default_rng);
      const double at = static_cast<double>(std::max<sim::SimTime>(t.start_s, 0)) + years * sim::kSecondsPerYear;
      if (at <= static_cast<double>(horizon))
        engine_->at(static_cast<sim::SimTime>(at), [this, k] { end_contract(k, "default"); }, sim::priority::kWorld);
    }
    for (sim::SimTime bp : contracts_[k].model->breakpoints_s()) {
      const sim::SimTime at = t.start_s + bp;
      if (at > 0 && at <= horizon) engine_->at(at, [] {}, sim::priority::kWorld);  // the rate steps here
    }
  }
  for (const auto& [end, rate] : depreciation_steps_)
    if (end <= horizon) engine_->at(end, [] {}, sim::priority::kWorld);  // depreciation stops here
  if (shock_ && shock_->at_s >= 0 && shock_->at_s <= horizon)
    engine_->at(shock_->at_s, [this] { on_shock(); }, sim::priority::kWorld);
  rebalance();
}

void AiPart::schedule_arrival(std::size_t i) {
  StreamRun& s = streams_[i];
  auto next = s.model->next(engine_->now(), s.rng);
  if (!next || next->submit_s > horizon_s_) return;  // arrivals after the run never happen in it
  s.pending = *next;
  engine_->at(std::max(next->submit_s, engine_->now()), [this, i] { on_arrival(i); }, sim::priority::kFacility);
}

void AiPart::on_arrival(std::size_t i) {
  StreamRun& s = streams_[i];
  const JobRequest& r = s.pending;
  const int k = s.contract_of_label.at(static_cast<std::size_t>(r.label));
  const bool customer_here = k < 0 || contracts_[k].state == State::kActive;
  const bool demanded =
      demand_factor_ >= 1.0 || std::uniform_real_distribution<double>(0.0, 1.0)(demand_rng_) < demand_factor_;
  if (customer_here && demanded) farm_.submit(r, k, k >= 0 ? contracts_[k].terms.priority : 0);
  schedule_arrival(i);
}

void AiPart::activate(int k) {
  if (contracts_[k].state != State::kPending) return;
  contracts_[k].state = State::kActive;
  rebalance();
}

void AiPart::end_contract(int k, const std::string& reason) {
  ContractRun& c = contracts_[k];
  if (c.state == State::kEnded) return;
  c.state = State::kEnded;
  c.ended_s = engine_->now();
  c.end_reason = reason;
  farm_.cancel_contract(k);
  rebalance();
}

void AiPart::on_term_end(int k) {
  ContractRun& c = contracts_[k];
  if (c.state == State::kEnded) return;
  const double u = std::uniform_real_distribution<double>(0.0, 1.0)(renewal_rng_);
  if (u < c.terms.renewal_probability) {
    if (engine_->now() + c.terms.term_s <= horizon_s_)
      engine_->at(engine_->now() + c.terms.term_s, [this, k] { on_term_end(k); }, sim::priority::kWorld);
  } else {
    end_contract(k, "lapsed");
  }
}

void AiPart::on_shock() {
  price_factor_ *= shock_->spot_price_factor;
  demand_factor_ *= shock_->demand_factor;
  for (int k = 0; k < static_cast<int>(contracts_.size()); ++k) {
    if (contracts_[k].state == State::kEnded) continue;
    const double u = std::uniform_real_distribution<double>(0.0, 1.0)(shock_rng_);
    if (u < shock_->default_probability) end_contract(k, "default (AI shock)");
  }
}

void AiPart::set_power_limit_mw(double limit_mw) {
  limit_mw_ = std::max(0.0, limit_mw);
  rebalance();
}

void AiPart::rebalance() {
  for (auto& c : contracts_) c.demand_it_mw = c.demand_grid_mw = 0.0;
  double demand_mw = 0.0;
  for (const auto& t : tenant_clusters_) {
    ContractRun& c = contracts_[t.contract];
    if (c.state != State::kActive) continue;
    c.demand_it_mw += t.tenant_it_mw();
    c.demand_grid_mw += t.tenant_it_mw() * t.pue;
    demand_mw += t.tenant_it_mw() * t.pue;
  }
  tenant_granted_mw_ = std::min(demand_mw, limit_mw_);
  const double share = demand_mw > 0 ? tenant_granted_mw_ / demand_mw : 1.0;
  for (auto& c : contracts_) {
    c.delivered_it_mw = c.demand_it_mw * share;
    c.delivered_grid_mw = c.demand_grid_mw * share;
  }
  const double budget = limit_mw_ - tenant_granted_mw_;
  if (budget != farm_.power_budget_mw()) farm_.set_power_budget_mw(budget);
}

namespace {
class WholePartConsumer final : public sim::PowerConsumer {
 public:
  WholePartConsumer(AiPart& p, std::string hall) : p_(p), hall_(std::move(hall)) {}
  const std::string& name() const override { return name_; }
  const std::string& hall() const override { return hall_; }
  sim::LoadKind kind() const override { return sim::LoadKind::kGpu; }
  double power_mw() const override { return p_.grid_power_mw(); }
  double min_power_mw() const override { return 0.0; }
  double max_power_mw() const override { return p_.max_grid_power_mw(); }
  double nameplate_mw() const override { return p_.max_grid_power_mw(); }
  void set_power_limit_mw(double mw) override { p_.set_power_limit_mw(mw); }
  double power_limit_mw() const override { return p_.power_limit_mw(); }
  double value_usd_per_mwh() const override { return 1e9; }
  bool curtailable() const override { return false; }

 private:
  AiPart& p_;
  std::string name_ = "gpus", hall_;
};
}  // namespace

std::vector<sim::PowerConsumer*> AiPart::consumers() {
  if (!shim_) shim_ = std::make_unique<WholePartConsumer>(*this, shim_hall_);
  return {shim_.get()};
}

double AiPart::grid_power_mw() const { return tenant_granted_mw_ + farm_.grid_power_mw(); }

double AiPart::max_grid_power_mw() const {
  double mw = farm_.max_grid_power_mw();
  for (const auto& t : tenant_clusters_) mw += t.max_it_mw() * t.pue;
  return mw;
}

void AiPart::update_rates(const sim::WorldState& world) {
  const sim::SimTime now = engine_ ? engine_->now() : 0;
  double revenue = 0.0;
  double credits = 0.0;
  for (int k = 0; k < static_cast<int>(contracts_.size()); ++k) {
    const ContractRun& c = contracts_[k];
    if (c.state != State::kActive) continue;
    ContractState s;
    s.since_start_s = now - c.terms.start_s;
    s.power_price_usd_per_mwh = world.power_price_usd_per_mwh;
    s.spot_usd_per_gpu_hour = spot_usd_per_gpu_hour();
    s.busy_gpus = farm_.busy_for(k);
    s.tenant_demand_it_mw = c.demand_it_mw;
    s.tenant_delivered_it_mw = c.delivered_it_mw;
    s.tenant_grid_mw = c.delivered_grid_mw;
    revenue += c.model->revenue_usd_per_s(s);
    credits += c.model->sla_credits_usd_per_s(s);
  }
  revenue_->rate_per_s = revenue;
  sla_->rate_per_s = credits;
  double depreciation = 0.0;
  for (const auto& [end, rate] : depreciation_steps_)
    if (now < end) depreciation += rate;
  depreciation_->rate_per_s = depreciation;
}

void AiPart::finish(sim::RunContext& ctx) {
  const std::string units = "seconds since " + sim::format_utc(ctx.build.epoch_unix_s);
  std::vector<std::string> names;
  for (const auto& c : contracts_) names.push_back(c.terms.name);
  ctx.recorder.add_table(farm_.job_table(units, names));

  const double nan = std::nan("");
  std::vector<std::string> name, state, reason;
  std::vector<double> start, end;
  for (const auto& c : contracts_) {
    name.push_back(c.terms.name);
    state.push_back(c.state == State::kActive ? "active" : c.state == State::kEnded ? "ended" : "pending");
    reason.push_back(c.end_reason);
    start.push_back(static_cast<double>(c.terms.start_s));
    end.push_back(c.ended_s >= 0 ? static_cast<double>(c.ended_s) : nan);
  }
  using sim::output::Column;
  sim::output::Table t;
  t.group = "ai_contracts";
  t.dimension = "contract";
  t.long_name = "AI contracts: state at the horizon";
  t.columns.push_back(Column{{"name", "", "contract name", ""}, std::move(name)});
  t.columns.push_back(Column{{"start", units, "start of the contract", ""}, std::move(start)});
  t.columns.push_back(Column{{"end", units, "when it lapsed or defaulted (NaN: did not end)", ""}, std::move(end)});
  t.columns.push_back(Column{{"state", "", "active, ended or pending at the horizon", ""}, std::move(state)});
  t.columns.push_back(Column{{"end_reason", "", "lapsed, default or default (AI shock)", ""}, std::move(reason)});
  ctx.recorder.add_table(std::move(t));
}

}  // namespace hybridsim::models::ai
