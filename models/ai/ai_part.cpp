#include "models/ai/ai_part.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

#include "sim/core/time.hpp"
#include "sim/finance/straight_line.hpp"
#include "sim/core/portable_random.hpp"

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
    : clusters_(parts.clusters),
      limit_mw_(parts.clusters.size(), std::numeric_limits<double>::infinity()),
      in_place_(parts.clusters.size(), 0),
      arrived_s_(parts.clusters.size(), -1),
      value_key_(parts.clusters.size(), std::numeric_limits<std::uint64_t>::max()),
      value_cache_(parts.clusters.size(), 0.0),
      farm_(owned_of(parts.clusters), std::move(parts.scheduler), static_cast<int>(parts.contracts.size())),
      gpu_price_(std::move(parts.gpu_price)),
      shock_(parts.shock) {
  for (auto& c : parts.clusters) {
    const int i = static_cast<int>(consumers_.size());
    consumers_.push_back(std::make_unique<GpuClusterConsumer>(*this, i));
    if (c.tenant) {
      farm_index_.push_back(-1);
      if (c.contract < 0 || c.contract >= static_cast<int>(parts.contracts.size()) ||
          !parts.contracts[static_cast<std::size_t>(c.contract)].model->hosts_tenant())
        throw std::logic_error("tenant cluster " + c.name + " is not bound to a colocation contract");
      continue;
    }
    farm_index_.push_back(static_cast<int>(cluster_of_farm_.size()));
    cluster_of_farm_.push_back(i);
  }
  for (std::size_t i = 0; i < parts.streams.size(); ++i) {
    auto& s = parts.streams[i];
    StreamRun run;
    run.model = std::move(s.model);
    run.contract_of_label = std::move(s.contract_of_label);
    run.name = s.name.empty() ? std::to_string(i) : s.name;
    streams_.push_back(std::move(run));
  }
  for (auto& k : parts.contracts) {
    ContractRun run;
    run.terms = std::move(k.terms);
    run.model = std::move(k.model);
    contracts_.push_back(std::move(run));
  }
  revenue_ = &scratch_[0];
  sla_ = &scratch_[1];
  depreciation_ = &scratch_[2];
  work_lost_ = &scratch_[3];
  rent_ = &scratch_[4];
  passthrough_ = &scratch_[5];
  gpu_hours_ = &scratch_[6];
  training_ = &scratch_[7];
  spot_ = &scratch_[8];
  utilization_gpu_s_ = &scratch_[9];
  installed_gpu_s_ = &scratch_[10];
  farm_.set_demand_listener([this](int c) { consumers_[cluster_of_farm_[c]]->notify_demand_changed(); });
  if (gpu_price_) price_usd_per_gpu_hour_ = gpu_price_->initial_usd_per_gpu_hour();
}

void AiPart::start(sim::RunContext& ctx) {
  engine_ = &ctx.engine;
  farm_.attach(ctx.engine);
  using sim::AccountKind;
  using sim::CashSign;
  revenue_ = &ctx.ledger.flow();
  sla_ = &ctx.ledger.account("sla_credits", AccountKind::kOperatingCost, CashSign::kOut);
  depreciation_ = &ctx.ledger.flow();
  work_lost_ = &ctx.ledger.flow();
  rent_ = &ctx.ledger.account("colocation_rent", AccountKind::kRevenue, CashSign::kIn);
  passthrough_ = &ctx.ledger.account("power_passthrough", AccountKind::kRevenue, CashSign::kIn);
  gpu_hours_ = &ctx.ledger.account("gpu_hour_rental", AccountKind::kRevenue, CashSign::kIn);
  training_ = &ctx.ledger.account("training_deals", AccountKind::kRevenue, CashSign::kIn);
  spot_ = &ctx.ledger.account("gpu_spot_sales", AccountKind::kRevenue, CashSign::kIn);
  capex_ = &ctx.ledger.account("gpu_capex", AccountKind::kCapital, CashSign::kOut);
  utilization_gpu_s_ = &ctx.ledger.flow();
  installed_gpu_s_ = &ctx.ledger.flow();
  farm_.set_lost_work_flow(work_lost_);
  if (ctx.recorder.streaming()) {
    // Rows of jobs that are over leave in chunks for the file, so the job table does not
    // grow in memory with the horizon (a buffering recorder keeps everything anyway).
    std::vector<std::string> names;
    for (const auto& c : contracts_) names.push_back(c.terms.name);
    auto& recorder = ctx.recorder;
    farm_.stream_rows(recorder.table_rows_per_chunk(), ctx.build.epoch_unix_s, std::move(names),
                      [&recorder](sim::output::Table t) { recorder.add_table(std::move(t)); });
  }
  world_ = &ctx.world;
  price_rng_ = ctx.rng.stream("gpu_price");
  const sim::SimTime horizon = ctx.build.horizon_s;
  horizon_s_ = horizon;

  auto& rec = ctx.recorder;
  rec.stock_int({"gpus_busy", "1", "owned GPUs held by running jobs", ""}, [this] { return farm_.gpus_busy(); });
  rec.stock({"gpu_utilization", "1", "owned GPUs busy / owned GPUs in place", ""}, [this] {
    const int n = owned_gpus_in_place();
    return n > 0 ? static_cast<double>(farm_.gpus_busy()) / n : 0.0;
  });
  rec.stock_int({"jobs_running", "1", "training jobs running", ""}, [this] { return farm_.jobs_running(); });
  rec.stock_int({"jobs_queued", "1", "training jobs waiting in the queue", ""}, [this] { return farm_.jobs_queued(); });
  rec.flow({"ai_revenue_usd", "USD", "AI revenue, every source (the sum of the five accounts below)", ""}, *revenue_);
  rec.flow({"colocation_rent_usd", "USD", "colocation rent from tenants", ""}, *rent_);
  rec.flow({"power_passthrough_usd", "USD", "energy passed through to colocation tenants", ""}, *passthrough_);
  rec.flow({"gpu_hour_rental_usd", "USD", "GPU-hour rental contracts (reserved and beyond)", ""}, *gpu_hours_);
  rec.flow({"training_deals_usd", "USD", "fixed-term training deals", ""}, *training_);
  rec.flow({"gpu_spot_sales_usd", "USD", "GPU-hours sold on the spot market (jobs without a contract)", ""}, *spot_);
  rec.flow({"gpu_capex_usd", "USD", "GPUs bought (count × purchase price, when a cluster arrives)", ""}, *capex_);
  rec.flow({"sla_credits_usd", "USD", "SLA credits owed to colocation tenants", ""}, *sla_);
  rec.flow({"gpu_depreciation_usd", "USD", "straight-line depreciation of the owned GPUs", ""}, *depreciation_);
  rec.stock({"spot_gpu_price_usd_per_hour", "USD/h", "spot price of a GPU-hour", ""},
            [this] { return spot_usd_per_gpu_hour(); });
  rec.flow({"gpu_work_lost_gpu_hours", "GPU h", "work lost to preemptions (since the jobs' last checkpoints)", ""},
           *work_lost_);
  rec.stock({"gpu_power_fraction", "1", "power of the busy owned GPUs / their power at load (power capping)", ""},
            [this] { return gpu_power_fraction(); });

  for (std::size_t i = 0; i < streams_.size(); ++i) {
    StreamRun& s = streams_[i];
    const std::string prefix = "jobs." + s.name;
    s.draws = JobDraws{ctx.rng.stream(prefix + ".arrivals"), ctx.rng.stream(prefix + ".gpus"),
                       ctx.rng.stream(prefix + ".hours")};
    s.demand_rng = ctx.rng.stream(prefix + ".demand");
    schedule_arrival(i);
  }

  if (gpu_price_ && gpu_price_->step_s() > 0) {
    const sim::SimTime step = gpu_price_->step_s();
    ctx.engine.every(
        step, step,
        [this, step] {
          ++version_;
          price_usd_per_gpu_hour_ =
              gpu_price_->next_usd_per_gpu_hour(price_usd_per_gpu_hour_, engine_->now() - step, step, price_rng_);
        },
        sim::priority::kWorld);
  }

  for (ContractRun& c : contracts_) {
    c.default_rng = ctx.rng.stream("ai_default." + c.terms.name);
    c.renewal_rng = ctx.rng.stream("ai_renewal." + c.terms.name);
    c.shock_rng = ctx.rng.stream("ai_shock." + c.terms.name);
  }
  for (int k = 0; k < static_cast<int>(contracts_.size()); ++k) {
    const ContractTerms& t = contracts_[k].terms;
    if (!t.starts_with.empty()) continue;  // begins with its conversion (on_milestone)
    if (t.start_s <= 0) {
      activate(k);
    } else if (t.start_s <= horizon) {
      engine_->at(t.start_s, [this, k] { activate(k); }, sim::priority::kWorld);
    }
    schedule_life(k);
  }
  // Clusters in place at the start arrive now (paid after the capex column is declared: in the
  // first interval); the others hold no power until their date or their conversion.
  for (int i = 0; i < cluster_count(); ++i) {
    const ClusterSpec& c = clusters_[i];
    if (!c.tenant) farm_.set_power_budget_mw(farm_index_[i], 0.0);
    if (!c.starts_with.empty()) continue;  // arrives on its conversion's completion (on_milestone)
    if (c.arrives_s <= 0) {
      arrive(i, false);  // the arbiter's first decision sees it
    } else if (c.arrives_s <= horizon) {
      engine_->at(c.arrives_s, [this, i] { arrive(i); }, sim::priority::kFacility);
    }
  }
  if (shock_ && shock_->at_s >= 0 && shock_->at_s <= horizon)
    engine_->at(shock_->at_s, [this] { on_shock(); }, sim::priority::kWorld);
  rebalance();
}

void AiPart::schedule_life(int k) {
  // Term ends (renewals), the time to default and the rate's breakpoints, from the start.
  const ContractTerms& t = contracts_[k].terms;
  const sim::SimTime horizon = horizon_s_;
  if (t.term_s > 0) {
    sim::SimTime end = t.start_s + t.term_s;
    while (end <= 0) end += t.term_s;  // terms before the run are assumed renewed
    if (end <= horizon) engine_->at(end, [this, k] { on_term_end(k); }, sim::priority::kWorld);
  }
  const double u_default = sim::uniform_open01(contracts_[k].default_rng);  // drawn also when the hazard is 0
  if (t.default_hazard_per_year > 0) {
    const double years = sim::exponential_by_inversion(u_default, 1.0 / t.default_hazard_per_year);
    const double at = static_cast<double>(std::max<sim::SimTime>(t.start_s, 0)) + years * sim::kSecondsPerYear;
    if (at <= static_cast<double>(horizon))
      engine_->at(static_cast<sim::SimTime>(at), [this, k] { end_contract(k, "default"); }, sim::priority::kWorld);
  }
  for (sim::SimTime bp : contracts_[k].model->breakpoints_s()) {
    const sim::SimTime at = t.start_s + bp;
    if (at > 0 && at <= horizon) engine_->at(at, [this] { ++version_; }, sim::priority::kWorld);  // the rate steps here
  }
}

sim::SimTime AiPart::retirement_s(int i, sim::SimTime arrival_s) const {
  const ClusterSpec& c = clusters_[i];
  if (c.retires_s >= 0) return c.retires_s;
  if (c.life_s >= 0) return std::max<sim::SimTime>(0, arrival_s) + c.life_s;
  return -1;
}

void AiPart::arrive(int i, bool notify) {
  const ClusterSpec& c = clusters_[i];
  const sim::SimTime now = engine_->now();
  const sim::SimTime retires = retirement_s(i, now);
  if (in_place_[i] || arrived_s_[i] >= 0 || (retires >= 0 && retires <= now)) return;  // once; never after its retirement
  ++version_;
  in_place_[i] = 1;
  arrived_s_[i] = now;
  if (retires >= 0 && retires <= horizon_s_) engine_->at(retires, [this, i] { retire(i); }, sim::priority::kFacility);
  if (c.tenant) {
    rebalance();
  } else {
    capex_->add(c.count * c.purchase_usd_per_gpu);
    farm_.set_power_budget_mw(farm_index_[i], limit_mw_[i]);
    // Depreciation stops at the end of its life: the rate changes there.
    const auto life_s = std::max<sim::SimTime>(1, std::llround(c.depreciation_years * sim::kSecondsPerYear));
    if (now + life_s <= horizon_s_) engine_->at(now + life_s, [this] { ++version_; }, sim::priority::kWorld);
  }
  if (notify) consumers_[i]->notify_demand_changed();
}

void AiPart::retire(int i) {
  if (!in_place_[i]) return;
  ++version_;
  in_place_[i] = 0;
  if (clusters_[i].tenant) {
    rebalance();
  } else {
    farm_.set_power_budget_mw(farm_index_[i], 0.0);  // its running jobs are preempted and queue again
  }
  consumers_[i]->notify_demand_changed();
}

int AiPart::owned_gpus_in_place() const {
  int n = 0;
  for (int i = 0; i < cluster_count(); ++i)
    if (!clusters_[i].tenant && in_place_[i]) n += clusters_[i].count;
  return n;
}

void AiPart::on_milestone(const std::string& name) {
  for (int i = 0; i < cluster_count(); ++i)
    if (clusters_[i].starts_with == name) arrive(i);
  for (int k = 0; k < static_cast<int>(contracts_.size()); ++k) {
    if (contracts_[k].terms.starts_with != name || contracts_[k].state != State::kPending) continue;
    contracts_[k].terms.start_s = engine_->now();
    activate(k);
    schedule_life(k);
  }
}

void AiPart::schedule_arrival(std::size_t i) {
  StreamRun& s = streams_[i];
  auto next = s.model->next(engine_->now(), s.draws);
  if (!next || next->submit_s > horizon_s_) return;  // arrivals after the run never happen in it
  s.pending = *next;
  engine_->at(std::max(next->submit_s, engine_->now()), [this, i] { on_arrival(i); }, sim::priority::kFacility);
}

void AiPart::on_arrival(std::size_t i) {
  StreamRun& s = streams_[i];
  const JobRequest& r = s.pending;
  const int k = s.contract_of_label.at(static_cast<std::size_t>(r.label));
  // After a default the customer is gone but the market is not: its jobs come to the spot
  // market (billed at the spot price, without a contract), thinned like every other demand.
  const bool defaulted = k >= 0 && contracts_[k].state == State::kEnded && contracts_[k].end_reason.starts_with("default");
  const bool customer_here = k < 0 || contracts_[k].state == State::kActive || defaulted;
  const double u_demand = sim::uniform_open01(s.demand_rng);  // one per arrival, thinned or not
  const bool demanded = demand_factor_ >= 1.0 || u_demand < demand_factor_;
  const int billed = defaulted ? -1 : k;
  if (customer_here && demanded) farm_.submit(r, billed, billed >= 0 ? contracts_[billed].terms.priority : 0);
  schedule_arrival(i);
}

void AiPart::activate(int k) {
  ++version_;
  if (contracts_[k].state != State::kPending) return;
  contracts_[k].state = State::kActive;
  rebalance();
  notify_tenants(k);
}

void AiPart::end_contract(int k, const std::string& reason) {
  ++version_;
  ContractRun& c = contracts_[k];
  if (c.state == State::kEnded) return;
  c.state = State::kEnded;
  c.ended_s = engine_->now();
  c.end_reason = reason;
  farm_.cancel_contract(k);
  rebalance();
  notify_tenants(k);
}

void AiPart::on_term_end(int k) {
  ContractRun& c = contracts_[k];
  if (c.state == State::kEnded) return;
  const double u = sim::uniform_open01(c.renewal_rng);
  if (u < c.terms.renewal_probability) {
    if (engine_->now() + c.terms.term_s <= horizon_s_)
      engine_->at(engine_->now() + c.terms.term_s, [this, k] { on_term_end(k); }, sim::priority::kWorld);
  } else {
    end_contract(k, "lapsed");
  }
}

void AiPart::on_shock() {
  ++version_;
  price_factor_ *= shock_->spot_price_factor;
  demand_factor_ *= shock_->demand_factor;
  for (int k = 0; k < static_cast<int>(contracts_.size()); ++k) {
    const double u = sim::uniform_open01(contracts_[k].shock_rng);  // drawn also for ended contracts
    if (contracts_[k].state == State::kEnded) continue;
    if (u < shock_->default_probability) end_contract(k, "default (AI shock)");
  }
}

std::vector<sim::PowerConsumer*> AiPart::consumers() {
  std::vector<sim::PowerConsumer*> out;
  for (auto& c : consumers_) out.push_back(c.get());
  return out;
}

void AiPart::notify_tenants(int k) {
  for (int i = 0; i < cluster_count(); ++i)
    if (clusters_[i].tenant && clusters_[i].contract == k) consumers_[i]->notify_demand_changed();
}

double AiPart::tenant_draw_mw(int i) const {
  const ClusterSpec& t = clusters_[i];
  if (!in_place_[i] || contracts_[t.contract].state != State::kActive) return 0.0;
  return std::min(t.tenant_it_mw() * t.pue, limit_mw_[i]);
}

void AiPart::rebalance() {
  ++version_;
  for (auto& c : contracts_) c.demand_it_mw = c.demand_grid_mw = c.delivered_it_mw = c.delivered_grid_mw = 0.0;
  for (int i = 0; i < cluster_count(); ++i) {
    const ClusterSpec& t = clusters_[i];
    if (!t.tenant || !in_place_[i]) continue;
    ContractRun& c = contracts_[t.contract];
    if (c.state != State::kActive) continue;
    const double draw_mw = tenant_draw_mw(i);
    c.demand_it_mw += t.tenant_it_mw();
    c.demand_grid_mw += t.tenant_it_mw() * t.pue;
    c.delivered_it_mw += draw_mw / t.pue;
    c.delivered_grid_mw += draw_mw;
  }
}

double AiPart::cluster_power_mw(int i) const {
  return clusters_[i].tenant ? tenant_draw_mw(i) : farm_.grid_power_mw(farm_index_[i]);
}

double AiPart::cluster_demand_mw(int i) const {
  const ClusterSpec& t = clusters_[i];
  if (!in_place_[i]) return 0.0;
  if (!t.tenant) return farm_.demand_mw(farm_index_[i]);
  return contracts_[t.contract].state == State::kActive ? t.tenant_it_mw() * t.pue : 0.0;
}

void AiPart::set_cluster_limit_mw(int i, double limit_mw) {
  const double mw = std::max(0.0, limit_mw);
  if (mw == limit_mw_[i]) return;  // a decision that changes nothing costs nothing
  limit_mw_[i] = mw;
  if (clusters_[i].tenant) {
    rebalance();
  } else if (in_place_[i]) {
    farm_.set_power_budget_mw(farm_index_[i], mw);
  }
}

double AiPart::cluster_limit_mw(int i) const { return limit_mw_[i]; }

double AiPart::cluster_value_usd_per_mwh(int i) const {
  const ClusterSpec& t = clusters_[i];
  if (!in_place_[i]) return 0.0;
  if (t.tenant) {
    const ContractRun& c = contracts_[t.contract];
    if (c.state != State::kActive) return 0.0;
    return c.model->tenant_value_usd_per_grid_mwh(t.pue, world_ ? world_->power_price_usd_per_mwh : 0.0);
  }
  // The value moves only when jobs start or stop, a contract or a price changes: cache it
  // per cluster under the part's version (decisions are frequent, jobs many).
  const std::uint64_t key = version_ + farm_.version();
  if (value_key_[i] == key) return value_cache_[i];
  value_key_[i] = key;
  const int fc = farm_index_[i];
  const ClusterSpec& k = farm_.cluster(fc);
  const double interval_h = static_cast<double>(std::max<sim::SimTime>(1, decision_interval_s_)) / 3600.0;
  // A job's price is its contract's (a virtual call), else the spot price: read once per
  // contract here, not once per running or queued job.
  const double spot = spot_usd_per_gpu_hour();
  price_of_contract_.resize(contracts_.size());
  for (std::size_t k = 0; k < contracts_.size(); ++k) {
    const std::optional<double> price = contracts_[k].model->usd_per_gpu_hour();
    price_of_contract_[k] = price ? *price : spot;
  }
  auto usd_per_gpu_h = [&](const GpuFarm::Job& j) {
    return j.contract >= 0 ? price_of_contract_[static_cast<std::size_t>(j.contract)] : spot;
  };
  double usd_per_h = 0.0;
  double at_risk_usd = 0.0;
  int gpus = 0;
  for (const auto& [end, s] : farm_.running_on(fc)) {
    const GpuFarm::Job& j = farm_.job(s);
    const double price_usd_per_gpu_h = usd_per_gpu_h(j);
    usd_per_h += j.alloc * price_usd_per_gpu_h;
    // The work a preemption would lose, in expectation over the job's sawtooth of unsaved
    // work: half a checkpoint interval, or half the job without checkpoints.
    const double expected_unsaved_s =
        0.5 * static_cast<double>(j.checkpoint_s > 0 ? std::min(j.checkpoint_s, j.duration_s) : j.duration_s);
    at_risk_usd += j.alloc * price_usd_per_gpu_h * expected_unsaved_s / 3600.0;
    gpus += j.alloc;
  }
  // Queued jobs that would start here if the power allowed (the same ones demand_mw counts):
  // without them an idle cluster would be worth nothing, get no power, and never start a job.
  int free = farm_.free_gpus(fc);
  for (auto it = farm_.queue().begin(); it != farm_.queue().end() && free > 0; ++it) {
    const GpuFarm::Job& j = farm_.job(it->slot);
    const int alloc = k.allocation(j.gpus);
    if (alloc > free) continue;
    free -= alloc;
    usd_per_h += alloc * usd_per_gpu_h(j);
    gpus += alloc;
  }
  const double mw = gpus * k.power_w * k.pue * 1e-6;
  value_cache_[i] = mw > 0.0 ? (usd_per_h + at_risk_usd / interval_h) / mw : 0.0;
  return value_cache_[i];
}

double AiPart::gpu_power_fraction() const {
  double full_mw = 0.0;
  for (int c = 0; c < farm_.cluster_count(); ++c) full_mw += farm_.full_busy_power_mw(c);
  return full_mw > 0.0 ? farm_.busy_power_mw() / full_mw : 1.0;
}

double AiPart::tenant_grid_mw() const {
  double mw = 0.0;
  for (int i = 0; i < cluster_count(); ++i)
    if (clusters_[i].tenant) mw += tenant_draw_mw(i);
  return mw;
}

double AiPart::grid_power_mw() const { return tenant_grid_mw() + farm_.grid_power_mw(); }

double AiPart::max_grid_power_mw() const {
  double mw = 0.0;
  for (const auto& c : clusters_) mw += c.nameplate_mw();
  return mw;
}

void AiPart::update_rates(const sim::WorldState& world) {
  const sim::SimTime now = engine_ ? engine_->now() : 0;
  double revenue = 0.0;
  double credits = 0.0;
  double by_source[3] = {0.0, 0.0, 0.0};
  double passthrough = 0.0;
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
    const double r = c.model->revenue_usd_per_s(s);
    const double p = c.model->passthrough_usd_per_s(s);
    by_source[static_cast<int>(c.model->source())] += r - p;
    passthrough += p;
    credits += c.model->sla_credits_usd_per_s(s);
  }
  rent_->rate_per_s = by_source[static_cast<int>(RevenueSource::kColocation)];
  gpu_hours_->rate_per_s = by_source[static_cast<int>(RevenueSource::kGpuHours)];
  training_->rate_per_s = by_source[static_cast<int>(RevenueSource::kTraining)];
  passthrough_->rate_per_s = passthrough;
  // Owned GPUs busy on jobs without a contract sell their hours at the spot price.
  spot_->rate_per_s = farm_.busy_for(-1) * spot_usd_per_gpu_hour() / 3600.0;
  revenue = rent_->rate_per_s + gpu_hours_->rate_per_s + training_->rate_per_s + passthrough + spot_->rate_per_s;
  revenue_->rate_per_s = revenue;
  sla_->rate_per_s = credits;
  utilization_gpu_s_->rate_per_s = farm_.gpus_busy();
  installed_gpu_s_->rate_per_s = owned_gpus_in_place();
  double depreciation = 0.0;
  for (int i = 0; i < cluster_count(); ++i) {
    const ClusterSpec& c = clusters_[i];
    if (c.tenant || !in_place_[i]) continue;  // retired early: no more depreciation
    const auto life_s = std::max<sim::SimTime>(1, std::llround(c.depreciation_years * sim::kSecondsPerYear));
    depreciation += sim::finance::straight_line_rate_usd_per_s(c.count * c.purchase_usd_per_gpu, arrived_s_[i], life_s, now);
  }
  depreciation_->rate_per_s = depreciation;
}

void AiPart::contracted_after(sim::SimTime horizon_s, sim::ContractedAfterHorizon& out) const {
  for (const ContractRun& c : contracts_) {
    if (c.state != State::kActive || !c.model->hosts_tenant() || c.terms.term_s <= 0) continue;
    // The current term: the first end start + j · term after the horizon.
    const sim::SimTime start = c.terms.start_s;
    const sim::SimTime j = horizon_s >= start ? (horizon_s - start) / c.terms.term_s + 1 : 1;
    ContractState s;
    s.since_start_s = horizon_s - start;
    s.power_price_usd_per_mwh = world_ ? world_->power_price_usd_per_mwh : 0.0;
    s.spot_usd_per_gpu_hour = spot_usd_per_gpu_hour();
    s.tenant_demand_it_mw = c.demand_it_mw;
    s.tenant_delivered_it_mw = c.delivered_it_mw;
    s.tenant_grid_mw = c.delivered_grid_mw;
    out.leases.push_back({c.terms.name, c.model->revenue_usd_per_s(s) - c.model->sla_credits_usd_per_s(s),
                          c.delivered_grid_mw, c.terms.default_hazard_per_year, start + j * c.terms.term_s});
  }
}

void AiPart::summarize(std::vector<sim::SummaryItem>& out) const {
  out.push_back({"mean_gpu_utilization",
                 installed_gpu_s_->value() > 0 ? utilization_gpu_s_->value() / installed_gpu_s_->value() : 0.0, "1",
                 "owned GPUs busy / owned GPUs in place, averaged over the run"});
  out.push_back({"gpu_work_lost_gpu_hours", work_lost_->value(), "GPU h", "work lost to preemptions"});
  out.push_back({"ai_revenue_usd", revenue_->value(), "USD", "AI revenue, every source"});
}

void AiPart::finish(sim::RunContext& ctx) {
  std::vector<std::string> names;
  for (const auto& c : contracts_) names.push_back(c.terms.name);
  ctx.recorder.add_table(farm_.take_job_table(ctx.build.epoch_unix_s, names));

  std::vector<std::string> name, state, reason;
  std::vector<std::int64_t> start, end;
  for (const auto& c : contracts_) {
    name.push_back(c.terms.name);
    state.push_back(c.state == State::kActive ? "active" : c.state == State::kEnded ? "ended" : "pending");
    reason.push_back(c.end_reason);
    start.push_back(sim::output::table_time(ctx.build.epoch_unix_s, c.terms.start_s));
    end.push_back(c.ended_s >= 0 ? sim::output::table_time(ctx.build.epoch_unix_s, c.ended_s) : sim::output::kNoTime);
  }
  using sim::output::Column;
  sim::output::Table t;
  t.group = "ai_contracts";
  t.dimension = "contract";
  t.long_name = "AI contracts: state at the horizon";
  t.columns.push_back(Column{{"name", "", "contract name", ""}, std::move(name)});
  t.columns.push_back(Column{{"start", sim::output::kTableTimeUnits, "start of the contract", ""}, std::move(start)});
  t.columns.push_back(
      Column{{"end", sim::output::kTableTimeUnits, "when it lapsed or defaulted (NaT: did not end)", ""}, std::move(end)});
  t.columns.push_back(Column{{"state", "", "active, ended or pending at the horizon", ""}, std::move(state)});
  t.columns.push_back(Column{{"end_reason", "", "lapsed, default or default (AI shock)", ""}, std::move(reason)});
  t.set_coordinates("start end");
  ctx.recorder.add_table(std::move(t));
}

}  // namespace hybridsim::models::ai
