#include "sim/run/simulation.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <span>
#include <stdexcept>

#include "sim/finance/investment_metrics.hpp"
#include "sim/finance/loan_book.hpp"
#include "sim/finance/terminal_value.hpp"
#include "sim/run/version.hpp"

namespace hybridsim::sim {

namespace {
std::atomic<std::uint64_t> g_invariant_checks{0};

// With HYBRIDSIM_REPORT_INVARIANT_CHECKS=FILE set, each process appends its count of
// invariant checks to FILE at exit (how a test run's total is measured).
struct InvariantReport {
  ~InvariantReport() {
    const char* file = std::getenv("HYBRIDSIM_REPORT_INVARIANT_CHECKS");
    if (!file || g_invariant_checks.load() == 0) return;
    if (std::FILE* f = std::fopen(file, "a")) {
      std::fprintf(f, "%llu\n", static_cast<unsigned long long>(g_invariant_checks.load()));
      std::fclose(f);
    }
  }
} g_invariant_report;
}  // namespace

double RunSummary::value(const std::string& key) const {
  for (const auto& i : items)
    if (i.key == key) return i.value;
  throw std::out_of_range("no summary item " + key);
}

Simulation::Simulation(Scenario scenario) : Simulation(std::make_shared<const Scenario>(std::move(scenario))) {}

Simulation::Simulation(std::shared_ptr<const Scenario> scenario)
    : scenario_(std::move(scenario)),
      rng_(scenario_->seed),
      energy_mwh_(ledger_.flow()),
      energy_cost_usd_(ledger_.account("energy", AccountKind::kOperatingCost, CashSign::kOut)),
      fixed_cost_usd_(ledger_.account("fixed_costs", AccountKind::kOperatingCost, CashSign::kOut)),
      curtailed_mwh_(ledger_.flow()),
      ctx_{engine_, rng_, recorder_, ledger_, world_, scenario_->build, [this] { return cash_usd(); }},
      power_price_(scenario_->power_price.make()),
      power_rng_(rng_.stream("power_price")),
      dr_credits_usd_(ledger_.account("demand_response_credits", AccountKind::kRevenue, CashSign::kIn)),
      dr_curtailed_mwh_(ledger_.flow()),
      transmission_charge_usd_(ledger_.account("transmission_charges", AccountKind::kOperatingCost, CashSign::kOut)) {
  const Scenario& s = *scenario_;
  arbiter_ = std::make_unique<PowerArbiter>(s.halls, s.cap_steps, s.dispatch.make(), s.decision_step_s);
  if (s.demand_response) demand_response_ = std::make_unique<DemandResponse>(*s.demand_response, s.start_unix_s);
  for (const auto& section : s.sections)
    for (auto& part : section->build()) parts_.push_back(std::move(part));
  if (!s.loans.empty()) parts_.push_back(std::make_unique<finance::LoanBook>(s.loans));
  if (!s.conversions.empty()) {
    std::vector<FacilityPart*> parts;
    for (auto& p : parts_) parts.push_back(p.get());
    conversions_ = std::make_unique<Conversions>(s.conversions, *arbiter_, std::move(parts),
                                                 [this](const std::string& name) { return signal(name); });
  }
  rates_seen_.resize(parts_.size());
  // Rates the kernel sets outside the parts' update_rates (on_advance), so integrated at every
  // step; the demand-response flows only when there are programs (without, they stay 0).
  for (Flow* f : {&energy_mwh_, &energy_cost_usd_, &fixed_cost_usd_, &curtailed_mwh_}) ledger_.pin(*f);
  if (demand_response_)
    for (Flow* f : {&dr_credits_usd_, &dr_curtailed_mwh_, &transmission_charge_usd_}) ledger_.pin(*f);
  engine_.set_advance_hook([this](SimTime from, SimTime to) { on_advance(from, to); });
}

Simulation::~Simulation() = default;

void Simulation::on_advance(SimTime from, SimTime to) {
  // The state after every event at `from` holds until `to`: set the rates, then integrate.
  // Cash needs no rate of its own: it is the sum of the accounts (Ledger).
  //
  // Most steps (a block, a job's end) change no rate: no part's state moved (rates_version),
  // the price did not (world_changed_), and the arbiter made no decision, so no megawatt moved
  // either (the consumers' draws change only with their part's state or a decision). Such a
  // step is deferred: the ledger integrates the run of unchanged steps at once, when a rate is
  // about to change or a total is read (Ledger::settle). Demand response and a step observer
  // see every step.
  bool rates_change = world_changed_ || arbiter_->decisions() != decisions_seen_ || demand_response_ || observer_;
  for (std::size_t i = 0; i < parts_.size() && !rates_change; ++i) {
    const auto version = parts_[i]->rates_version();
    rates_change = !version || version != rates_seen_[i];
  }
#ifndef NDEBUG
  // Debug and sanitizer builds check every instant, and that a deferred step's draw did not
  // move; release builds check at every decision (PowerArbiter::decide) and the property
  // tests check every instant in both.
  const double checked_mw = arbiter_->check_invariants();
  check_invariants(from);
  if (!rates_change && checked_mw != grid_power_mw_)
    throw std::logic_error("grid power moved from " + std::to_string(grid_power_mw_) + " to " +
                           std::to_string(checked_mw) + " MW at t=" + std::to_string(from) +
                           " s with no decision and no part's state changed");
#endif
  if (!rates_change) {
    ledger_.defer(to - from);
    return;
  }
  // The steps deferred so far ran at the old rates: integrate them before any rate moves.
  if (!ledger_.settle()) {
    fail_non_finite_now(from);
  }
  for (std::size_t i = 0; i < parts_.size(); ++i) {
    FacilityPart& p = *parts_[i];
    const auto version = p.rates_version();
    if (world_changed_ || !version || version != rates_seen_[i]) {
      p.update_rates(world_);
      rates_seen_[i] = version;
    }
  }
  world_changed_ = false;
  decisions_seen_ = arbiter_->decisions();
  const double mw = arbiter_->grid_power_mw();
  grid_power_mw_ = mw;
  if (demand_response_) demand_response_->update_rates(mw);
  summary_.peak_grid_power_mw = std::max(summary_.peak_grid_power_mw, mw);
  energy_mwh_.rate_per_s = mw / 3600.0;
  energy_cost_usd_.rate_per_s = power_price_->cost_usd_per_h(mw, world_.power_price_usd_per_mwh) / 3600.0;
  curtailed_mwh_.rate_per_s = arbiter_->curtailed_mw() / 3600.0;
  // Only the flows that have had a rate are integrated (the kernel's own are pinned).
  ledger_.collect_live();
  if (observer_) observer_(from, to);
  ledger_.defer(to - from);
  // A rate that is not finite fails at this step, not at the next settle.
  if (!std::isfinite(ledger_.net_cash_rate_usd_per_s()) || !std::isfinite(mw)) {
    fail_non_finite_now(to);
  }
}

void Simulation::check_invariants(SimTime now) {
  for (const auto& p : parts_) {
    p->check_invariants(now);
    ++invariant_checks_;
  }
  // Money is conserved: every account is a finite amount with a cash direction, and the cash
  // the run reports is the initial cash plus those amounts (an account may run against its
  // usual direction: energy at a negative price pays the facility).
  double net_usd = 0.0, scale_usd = std::abs(scenario_->initial_cash_usd);
  for (const Flow* a : ledger_.accounts()) {
    if (!std::isfinite(a->value()) || (a->cash_sign != 1 && a->cash_sign != -1))
      throw std::logic_error("invariant broken at t=" + std::to_string(now) + " s: account " + a->account + " is " +
                             std::to_string(a->value()) + " USD with cash sign " + std::to_string(a->cash_sign));
    net_usd += a->cash_sign * a->value();
    scale_usd += std::abs(a->value());
  }
  if (std::abs(cash_usd() - (scenario_->initial_cash_usd + net_usd)) > 1e-12 * scale_usd + 1e-9)
    throw std::logic_error("invariant broken at t=" + std::to_string(now) + " s: cash " + std::to_string(cash_usd()) +
                           " USD is not the initial cash plus the accounts (" +
                           std::to_string(scenario_->initial_cash_usd + net_usd) + " USD)");
  ++invariant_checks_;
  g_invariant_checks.fetch_add(parts_.size() + 1, std::memory_order_relaxed);
}

std::uint64_t invariant_checks_total() { return g_invariant_checks.load(std::memory_order_relaxed); }

namespace {

// What in a scenario feeds a recorded quantity, by its name.
std::string feeders(const std::string& q) {
  const auto has = [&](const char* s) { return q.find(s) != std::string::npos; };
  if (q == "cash_usd")
    return "finance.initial_cash_usd, finance.fixed_cost_usd_per_year and every revenue and cost: world.btc_price, "
           "world.power_price, facility.asic_cohorts, facility.gpu_clusters";
  if (has("btc_price") || has("hashprice") || has("revenue_usd"))
    return "world.btc_price (initial_usd, drift_per_year, CSV rows), world.network, world.fees, facility.asic_cohorts";
  if (has("hashrate") || has("difficulty") || has("block") || has("fees") || has("revenue_btc"))
    return "world.network (growth, CSV rows), world.bitcoin (start_difficulty, start_height), world.fees, "
           "facility.asic_cohorts";
  if (has("power") || has("energy") || has("curtail") || has("cost"))
    return "world.power_price, facility.power_cap_mw, facility.halls, facility.asic_cohorts (count, power_w), "
           "facility.gpu_clusters";
  if (has("gpu") || has("job") || has("rental") || has("contract") || has("sla"))
    return "facility.gpu_clusters, facility.jobs, facility.contracts, facility.gpu_price";
  return "the scenario's largest or fastest-growing parameters";
}

}  // namespace

void Simulation::fail_non_finite(const std::string& quantity, double value, SimTime t) const {
  const Scenario& s = *scenario_;
  const std::string v = std::isnan(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";
  throw config::ScenarioError(config::Location{s.source},
                              "the run's state turned non-finite: " + quantity + " became " + v + " at " +
                                  format_utc(s.start_unix_s + t) + " UTC (t = " + std::to_string(t) +
                                  " s); it is fed by " + feeders(quantity) +
                                  "; bring those parameters into a realistic range");
}

std::optional<double> Simulation::signal(const std::string& name) const {
  if (name == "power_price_usd_per_mwh") return world_.power_price_usd_per_mwh;
  for (const auto& p : parts_)
    if (auto v = p->signal(name)) return v;
  return std::nullopt;
}

void Simulation::next_power_price() {
  const SimTime now = engine_.now();
  const PowerPriceModel::Step step = power_price_->step(now, power_rng_);
  if (step.until_s <= now) throw std::logic_error("power price model: a step must end after it starts");
  world_.power_price_usd_per_mwh = step.usd_per_mwh;
  world_changed_ = true;
  if (demand_response_) demand_response_->on_price(step.usd_per_mwh);
  update_prices();
  if (step.until_s <= scenario_->horizon_s) engine_.at(step.until_s, [this] { next_power_price(); }, priority::kWorld);
}

void Simulation::update_prices() {
  const double p = world_.power_price_usd_per_mwh;
  arbiter_->set_prices(p, p + (demand_response_ ? demand_response_->price_adder_usd_per_mwh() : 0.0));
}

output::RunDataset Simulation::run() {
  if (ran_) throw std::logic_error("a Simulation runs once");
  ran_ = true;
  const Scenario& s = *scenario_;
  fixed_cost_usd_.rate_per_s = s.fixed_cost_usd_per_year / static_cast<double>(kSecondsPerYear);

  next_power_price();
  for (auto& p : parts_) p->start(ctx_);
  if (conversions_) conversions_->start(ctx_);
  for (auto& p : parts_)
    for (PowerConsumer* c : p->consumers()) arbiter_->add(*c);
  if (demand_response_)
    demand_response_->start(
        engine_, s.horizon_s, [this] { return arbiter_->grid_power_mw(); }, energy_mwh_, dr_credits_usd_,
        dr_curtailed_mwh_, transmission_charge_usd_, [this] { update_prices(); });
  arbiter_->start(engine_);

  auto& rec = recorder_;
  const PowerArbiter& a = *arbiter_;
  rec.stock({"power_price_usd_per_mwh", "USD/MWh", "marginal grid energy price"},
            [this] { return world_.power_price_usd_per_mwh; });
  rec.stock({"power_cap_mw", "MW", "interconnect cap on grid power"}, [&a] { return a.cap_mw(); });
  rec.stock({"facility_power_mw", "MW", "grid power of the facility, cooling included"},
            [this] { return power_now_.grid_mw; });
  rec.stock({"it_power_mw", "MW", "IT power of the facility (grid power / PUE, hall by hall)"},
            [this] { return power_now_.it_mw; });
  rec.stock({"asic_power_mw", "MW", "grid power of the ASICs, cooling included"},
            [this] { return power_now_.asic_mw; });
  rec.stock({"gpu_power_mw", "MW", "grid power of the GPU clusters (owned and tenants'), cooling included"},
            [this] { return power_now_.gpu_mw; });
  rec.stock({"curtailed_mw", "MW", "demand left unserved by the last dispatch decision (grid MW)"},
            [&a] { return a.curtailed_mw(); });
  rec.stock_int({"curtail_reason", "1",
                 "main reason for curtailed_mw: 0 none, 1 power price, 2 cap or hall limit, 3 demand response"},
                [&a] { return static_cast<std::int64_t>(a.curtail_reason()); });
  std::vector<std::string> hall_names;
  for (const auto& h : s.halls) hall_names.push_back(h.name);
  rec.stock_2d({"hall_power_mw", "MW", "grid power of each hall, cooling included"}, "hall", hall_names,
               [this](std::span<double> row) {
                 for (std::size_t h = 0; h < row.size(); ++h) row[h] = power_now_.hall_mw[h];
               });
  rec.stock_2d({"hall_limit_mw", "MW",
                "grid power limit of each hall: its limit step now, moved by conversions; the interconnect cap when "
                "that is lower"},
               "hall", hall_names, [&a](std::span<double> row) {
                 for (std::size_t h = 0; h < row.size(); ++h) row[h] = std::min(a.hall_limit_mw(h), a.cap_mw());
               });
  rec.flow({"energy_mwh", "MWh", "grid energy drawn"}, energy_mwh_);
  rec.flow({"energy_cost_usd", "USD", "cost of grid energy"}, energy_cost_usd_);
  rec.flow({"fixed_cost_usd", "USD", "fixed costs (staff, maintenance)"}, fixed_cost_usd_);
  rec.flow({"dr_credits_usd", "USD", "demand-response credits earned (credit × MWh below the baseline)"},
           dr_credits_usd_);
  rec.flow({"dr_curtailed_mwh", "MWh", "energy not drawn below the demand-response baseline during events"},
           dr_curtailed_mwh_);
  rec.flow({"transmission_charge_usd", "USD", "coincident-peak (4CP) transmission charges"}, transmission_charge_usd_);
  rec.flow({"curtailed_mwh", "MWh", "demand left unserved by dispatch (grid MWh)"}, curtailed_mwh_);
  rec.stock({"cash_usd", "USD", "cash: initial cash + the sum of every flow with an account (cash_sign × amount)"},
            [this] { return cash_usd_sampled_ = cash_usd(); });
  // Every account must reach the file, or the cash check from the file alone would fail.
  for (const Flow* a : ledger_.accounts())
    if (!recorder_.records(*a)) throw std::logic_error("ledger account " + a->account + " is not recorded");
  recorder_.set_time_units("seconds since " + format_utc(s.start_unix_s));
  cash_at_last_sample_usd_ = s.initial_cash_usd;
  if (s.record_every_months > 0) {
    schedule_calendar_sample(1);
  } else {
    engine_.every(s.record_every_s, s.record_every_s, [this] { record_sample(engine_.now()); }, priority::kRecord);
  }
  const std::size_t expected_samples = static_cast<std::size_t>(s.horizon_s / s.record_every_s) + 1;
  recorder_.reserve(expected_samples);
  cash_stream_.reserve(std::min<std::size_t>(expected_samples, std::size_t{1} << 22));  // ≤ 64 MB
  if (start_observer_) start_observer_(recorder_.values_per_sample(), expected_samples);

  try {
    engine_.run_until(s.horizon_s);
  } catch (const StuckClock& stuck) {
    const auto bad = non_finite_now();
    throw config::ScenarioError(
        config::Location{s.source},
        "the run is stuck at " + format_utc(s.start_unix_s + stuck.at_s) + " UTC (t = " + std::to_string(stuck.at_s) +
            " s): " + std::to_string(stuck.events) + " events ran at that one instant, so simulated time cannot move" +
            (bad ? "; " + bad->first + " is " + (std::isnan(bad->second) ? "NaN" : "infinite") + ", fed by " +
                       feeders(bad->first)
                 : "") +
            "; a process whose interval rounds to 0 s (e.g. blocks at an enormous hashrate): bring the growth and "
            "rate parameters (world.network, world.btc_price) into a realistic range");
  }
  if (recorder_.last_sample_s() != s.horizon_s) record_sample(s.horizon_s);
  for (const auto& p : parts_) p->contracted_after(s.horizon_s, contracted_);
  for (auto& p : parts_) p->finish(ctx_);

  summary_.energy_mwh = energy_mwh_.value();
  summary_.energy_cost_usd = energy_cost_usd_.value();
  summary_.cash_usd = cash_usd();
  summary_.dr_credits_usd = dr_credits_usd_.value();
  summary_.dr_curtailed_mwh = dr_curtailed_mwh_.value();
  summary_.transmission_charge_usd = transmission_charge_usd_.value();
  summary_.events = engine_.events_run();
  summary_.decisions = arbiter_->decisions();
  for (const auto& p : parts_) p->summarize(summary_.items);

  summarize_money();
  std::vector<std::pair<std::string, output::Attribute>> at;
  at.reserve(32 + summary_.items.size());  // (also spares GCC 12 a false -Warray-bounds on the growth)
  at.emplace_back("title", s.name);
  at.emplace_back("description", s.description);
  at.emplace_back("scenario_yaml", s.resolved_yaml);
  at.emplace_back("scenario_source", s.source);
  at.emplace_back("seed", s.seed);
  at.emplace_back("hybridsim_version", std::string(kVersion));
  at.emplace_back("start", format_utc(s.start_unix_s) + " UTC");
  at.emplace_back("horizon_s", static_cast<std::int64_t>(s.horizon_s));
  at.emplace_back("events", static_cast<std::int64_t>(summary_.events));
  at.emplace_back("summary_energy_mwh", summary_.energy_mwh);
  at.emplace_back("summary_energy_cost_usd", summary_.energy_cost_usd);
  for (const auto& i : summary_.items) at.emplace_back("summary_" + i.key, i.value);
  at.emplace_back("summary_dr_credits_usd", summary_.dr_credits_usd);
  at.emplace_back("summary_dr_curtailed_mwh", summary_.dr_curtailed_mwh);
  at.emplace_back("summary_transmission_charge_usd", summary_.transmission_charge_usd);
  at.emplace_back("summary_cash_usd", summary_.cash_usd);
  at.emplace_back("summary_peak_grid_power_mw", summary_.peak_grid_power_mw);
  for (const auto& i : money_items()) at.emplace_back("summary_" + i.key, i.value);
  at.emplace_back("summary_payback_date", summary_.payback_date);
  at.emplace_back("Conventions", std::string("CF-1.8"));

  // The same figures as a table: one row per item, with units and meaning.
  output::Table t;
  t.group = "summary";
  t.dimension = "item";
  t.long_name = "headline figures of the run";
  std::vector<std::string> keys, units, what;
  std::vector<double> values;
  const auto add = [&](const SummaryItem& i) {
    keys.push_back(i.key);
    values.push_back(i.value);
    units.push_back(i.units);
    what.push_back(i.description);
  };
  add({"energy_mwh", summary_.energy_mwh, "MWh", "grid energy drawn"});
  add({"energy_cost_usd", summary_.energy_cost_usd, "USD", "cost of grid energy"});
  add({"transmission_charge_usd", summary_.transmission_charge_usd, "USD", "coincident-peak charges"});
  add({"dr_credits_usd", summary_.dr_credits_usd, "USD", "demand-response credits"});
  add({"cash_usd", summary_.cash_usd, "USD", "cash at the horizon"});
  add({"peak_grid_power_mw", summary_.peak_grid_power_mw, "MW", "highest grid power"});
  for (const auto& i : summary_.items) add(i);
  for (const auto& i : money_items()) add(i);
  using output::Column;
  t.columns.push_back(Column{{"key", "", "name of the figure (root attribute summary_<key>)"}, std::move(keys)});
  t.columns.push_back(Column{{"value", "", "value, in `units`"}, std::move(values)});
  t.columns.push_back(Column{{"units", "", "units of the value"}, std::move(units)});
  t.columns.push_back(Column{{"description", "", "what it is"}, std::move(what)});
  recorder_.add_table(std::move(t));
  recorder_.finish_stream();
  output::RunDataset data = recorder_.take("seconds since " + format_utc(s.start_unix_s));
  data.attributes = std::move(at);
  return data;
}

std::optional<std::pair<std::string, double>> Simulation::non_finite_now() {
  arbiter_->breakdown(power_now_);  // the power columns read it
  return recorder_.non_finite_now();
}

void Simulation::fail_non_finite_now(SimTime t) {
  const auto bad = non_finite_now();
  fail_non_finite(bad ? bad->first : "a flow of the ledger", bad ? bad->second : NAN, t);
}

void Simulation::record_sample(SimTime t) {
  arbiter_->breakdown(power_now_);  // the power columns of this sample, in one pass
  if (!ledger_.settle()) {
    fail_non_finite_now(t);
  }
  recorder_.sample(t);
  if (const auto bad = recorder_.non_finite_in_last_sample()) fail_non_finite(bad->first, bad->second, t);
  const double cash = cash_usd_sampled_;  // what the cash_usd column just recorded
  cash_stream_.push_back({static_cast<double>(t) / static_cast<double>(kSecondsPerYear), cash - cash_at_last_sample_usd_});
  cash_at_last_sample_usd_ = cash;
  if (progress_) progress_(t);
}

void Simulation::schedule_calendar_sample(std::int64_t k) {
  const Scenario& s = *scenario_;
  const SimTime t = calendar_stamp_s(s.start_unix_s, s.record_every_months, k);
  if (t > s.horizon_s) return;  // the horizon's own stamp is taken after the run
  engine_.at(t, [this, k] {
    record_sample(engine_.now());
    schedule_calendar_sample(k + 1);
  }, priority::kRecord);
}

}  // namespace hybridsim::sim

namespace hybridsim::sim {

void Simulation::summarize_money() {
  RunSummary& m = summary_;
  const Scenario& s = *scenario_;
  for (const Flow* a : ledger_.accounts()) {
    m.accounts.push_back({a->account + "_usd", a->value(), "USD", std::string(kind_name(a->kind)) + " account"});
    if (a->kind == AccountKind::kRevenue) m.revenue_usd += a->cash_sign * a->value();
    if (a->kind == AccountKind::kOperatingCost) m.operating_cost_usd -= a->cash_sign * a->value();
    if (a->kind == AccountKind::kCapital && a->cash_sign < 0) m.capital_spent_usd += a->value();
  }
  m.ebitda_usd = m.revenue_usd - m.operating_cost_usd;
  m.curtailed_mwh = curtailed_mwh_.value();

  // The net cash of each recording interval, dated at its end: what the file's cash_usd shows.
  std::vector<finance::DatedCash> stream = std::move(cash_stream_);  // summarize_money runs once, at the end
  m.npv_run_usd = finance::npv_usd(stream, s.discount_rate_per_year);
  m.max_drawdown_usd = finance::max_drawdown_usd(stream, s.initial_cash_usd);  // of the cash the run holds
  if (s.terminal_value == "contracted") {
    // The leases' net cash after the horizon, less the energy their tenants draw at the last
    // power price and their share of the fixed costs by grid power; then the loans' payments.
    const double year_s = static_cast<double>(kSecondsPerYear);
    const double horizon_years = static_cast<double>(s.horizon_s) / year_s;
    const double facility_mw = arbiter_->grid_power_mw();
    std::vector<finance::DatedCash> tail;
    for (const auto& lease : contracted_.leases) {
      const double fixed_share = facility_mw > 0 ? lease.grid_mw / facility_mw : 0.0;
      const double usd_per_s = lease.usd_per_s - lease.grid_mw * world_.power_price_usd_per_mwh / 3600.0 -
                               fixed_share * s.fixed_cost_usd_per_year / year_s;
      const finance::ContractedStream cs{lease.name, usd_per_s * year_s, static_cast<double>(lease.end_s) / year_s,
                                         lease.hazard_per_year};
      for (const auto& c : finance::contracted_lumps(cs, horizon_years)) tail.push_back(c);
    }
    for (const auto& [t_s, usd] : contracted_.lumps) tail.push_back({static_cast<double>(t_s) / year_s, usd});
    std::sort(tail.begin(), tail.end(), [](const auto& a, const auto& b) { return a.t_years < b.t_years; });
    m.terminal_value_usd = finance::npv_usd(tail, s.discount_rate_per_year);
    stream.insert(stream.end(), tail.begin(), tail.end());
  }
  m.npv_usd = m.npv_run_usd + m.terminal_value_usd;
  m.irr_per_year = finance::irr_per_year(stream);
  m.payback_years = finance::payback_years(stream);
  m.payback_date = "never";
  if (!std::isnan(m.payback_years)) {
    // A recording stamp, or (counting the contracted tail) a date after the horizon.
    const auto t_s = static_cast<std::int64_t>(std::llround(m.payback_years * static_cast<double>(kSecondsPerYear)));
    m.payback_date = format_utc(s.start_unix_s + t_s).substr(0, 10);
  }
}

std::vector<SummaryItem> Simulation::money_items() const {
  const RunSummary& m = summary_;
  std::vector<SummaryItem> out = m.accounts;
  out.push_back({"revenue_usd", m.revenue_usd, "USD", "revenue, every source"});
  out.push_back({"operating_cost_usd", m.operating_cost_usd, "USD", "energy, transmission, fixed costs, SLA credits, ..."});
  out.push_back({"ebitda_usd", m.ebitda_usd, "USD", "revenue less operating costs"});
  out.push_back({"capital_spent_usd", m.capital_spent_usd, "USD", "ASICs, GPUs and conversions bought"});
  out.push_back({"npv_usd", m.npv_usd, "USD",
                 "net present value of the net cash per interval at finance.discount_rate_per_year, plus the "
                 "terminal value"});
  out.push_back({"npv_run_usd", m.npv_run_usd, "USD", "the NPV of the simulated years alone"});
  out.push_back({"terminal_value_usd", m.terminal_value_usd, "USD",
                 "present value of the cash contracts fix after the horizon (finance.terminal_value)"});
  out.push_back({"irr_per_year", m.irr_per_year, "1/year", "internal rate of return, terminal cash included (NaN: none)"});
  out.push_back({"payback_years", m.payback_years, "year",
                 "from the start until cumulative cash stays at or above 0, terminal cash included"});
  out.push_back({"max_drawdown_usd", m.max_drawdown_usd, "USD", "deepest fall of cash below an earlier peak"});
  out.push_back({"curtailed_mwh", m.curtailed_mwh, "MWh", "demand left unserved by dispatch"});
  return out;
}

}  // namespace hybridsim::sim
