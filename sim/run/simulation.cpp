#include "sim/run/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <span>
#include <stdexcept>

#include "sim/finance/investment_metrics.hpp"
#include "sim/finance/loan_book.hpp"
#include "sim/run/version.hpp"

namespace hybridsim::sim {

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
  engine_.set_advance_hook([this](SimTime from, SimTime to) { on_advance(from, to); });
}

Simulation::~Simulation() = default;

void Simulation::on_advance(SimTime from, SimTime to) {
  // The state after every event at `from` holds until `to`: set the rates, then integrate.
  // Cash needs no rate of its own: it is the sum of the accounts (Ledger).
  for (std::size_t i = 0; i < parts_.size(); ++i) {
    FacilityPart& p = *parts_[i];
    const auto version = p.rates_version();
    if (world_changed_ || !version || version != rates_seen_[i]) {
      p.update_rates(world_);
      rates_seen_[i] = version;
    }
  }
  world_changed_ = false;
#ifndef NDEBUG
  // Debug and sanitizer builds check every instant; release builds check at every decision
  // (PowerArbiter::decide) and the property tests check every instant in both.
  const double mw = arbiter_->check_invariants();
#else
  const double mw = arbiter_->grid_power_mw();
#endif
  if (demand_response_) demand_response_->update_rates(mw);
  summary_.peak_grid_power_mw = std::max(summary_.peak_grid_power_mw, mw);
  energy_mwh_.rate_per_s = mw / 3600.0;
  energy_cost_usd_.rate_per_s = power_price_->cost_usd_per_h(mw, world_.power_price_usd_per_mwh) / 3600.0;
  curtailed_mwh_.rate_per_s = arbiter_->curtailed_mw() / 3600.0;
  if (observer_) observer_(from, to);
  ledger_.integrate(to - from);
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
            [&a] { return a.grid_power_mw(); });
  rec.stock({"it_power_mw", "MW", "IT power of the facility (grid power / PUE, hall by hall)"},
            [&a] { return a.it_power_mw(); });
  rec.stock({"asic_power_mw", "MW", "grid power of the ASICs, cooling included"},
            [&a] { return a.power_mw(LoadKind::kAsic); });
  rec.stock({"gpu_power_mw", "MW", "grid power of the GPU clusters (owned and tenants'), cooling included"},
            [&a] { return a.power_mw(LoadKind::kGpu); });
  rec.stock({"curtailed_mw", "MW", "demand left unserved by the last dispatch decision (grid MW)"},
            [&a] { return a.curtailed_mw(); });
  rec.stock_int({"curtail_reason", "1",
                 "main reason for curtailed_mw: 0 none, 1 power price, 2 cap or hall limit, 3 demand response"},
                [&a] { return static_cast<std::int64_t>(a.curtail_reason()); });
  std::vector<std::string> hall_names;
  for (const auto& h : s.halls) hall_names.push_back(h.name);
  rec.stock_2d({"hall_power_mw", "MW", "grid power of each hall, cooling included"}, "hall", hall_names,
               [&a](std::span<double> row) {
                 for (std::size_t h = 0; h < row.size(); ++h) row[h] = a.hall_power_mw(h);
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
            [this] { return cash_usd(); });
  // Every account must reach the file, or the cash check from the file alone would fail.
  for (const Flow* a : ledger_.accounts())
    if (!recorder_.records(*a)) throw std::logic_error("ledger account " + a->account + " is not recorded");
  engine_.every(s.record_every_s, s.record_every_s, [this] { recorder_.sample(engine_.now()); }, priority::kRecord);

  engine_.run_until(s.horizon_s);
  if (recorder_.last_sample_s() != s.horizon_s) recorder_.sample(s.horizon_s);
  for (auto& p : parts_) p->finish(ctx_);

  summary_.energy_mwh = energy_mwh_.total;
  summary_.energy_cost_usd = energy_cost_usd_.total;
  summary_.cash_usd = cash_usd();
  summary_.dr_credits_usd = dr_credits_usd_.total;
  summary_.dr_curtailed_mwh = dr_curtailed_mwh_.total;
  summary_.transmission_charge_usd = transmission_charge_usd_.total;
  summary_.events = engine_.events_run();
  summary_.decisions = arbiter_->decisions();
  for (const auto& p : parts_) p->summarize(summary_.items);

  output::RunDataset data = recorder_.take("seconds since " + format_utc(s.start_unix_s));
  summarize_money(data);
  auto& at = data.attributes;
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
  data.tables.push_back(std::move(t));
  return data;
}

}  // namespace hybridsim::sim

namespace hybridsim::sim {

void Simulation::summarize_money(const output::RunDataset& data) {
  RunSummary& m = summary_;
  const Scenario& s = *scenario_;
  for (const Flow* a : ledger_.accounts()) {
    m.accounts.push_back({a->account + "_usd", a->total, "USD", std::string(kind_name(a->kind)) + " account"});
    if (a->kind == AccountKind::kRevenue) m.revenue_usd += a->cash_sign * a->total;
    if (a->kind == AccountKind::kOperatingCost) m.operating_cost_usd -= a->cash_sign * a->total;
    if (a->kind == AccountKind::kCapital && a->cash_sign < 0) m.capital_spent_usd += a->total;
  }
  m.ebitda_usd = m.revenue_usd - m.operating_cost_usd;
  m.curtailed_mwh = curtailed_mwh_.total;

  // The net cash of each recording interval, dated at its end: what the file's cash_usd shows.
  std::vector<finance::DatedCash> stream;
  for (const auto& c : data.series) {
    if (c.info.name != "cash_usd") continue;
    const auto& cash = std::get<std::vector<double>>(c.data);
    double before = s.initial_cash_usd;
    for (std::size_t k = 0; k < cash.size(); ++k) {
      stream.push_back({static_cast<double>(data.time_s[k]) / static_cast<double>(kSecondsPerYear), cash[k] - before});
      before = cash[k];
    }
  }
  m.npv_usd = finance::npv_usd(stream, s.discount_rate_per_year);
  m.irr_per_year = finance::irr_per_year(stream);
  m.payback_years = finance::payback_years(stream);
  m.max_drawdown_usd = finance::max_drawdown_usd(stream, s.initial_cash_usd);
  m.payback_date = "never";
  if (!std::isnan(m.payback_years)) {
    for (std::size_t k = 0; k < stream.size(); ++k)
      if (stream[k].t_years == m.payback_years)
        m.payback_date = format_utc(s.start_unix_s + data.time_s[k]).substr(0, 10);
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
                 "net present value of the net cash per interval at finance.discount_rate_per_year"});
  out.push_back({"irr_per_year", m.irr_per_year, "1/year", "internal rate of return (NaN: none)"});
  out.push_back({"payback_years", m.payback_years, "year", "from the start until cash stays at or above its start"});
  out.push_back({"max_drawdown_usd", m.max_drawdown_usd, "USD", "deepest fall of cash below an earlier peak"});
  out.push_back({"curtailed_mwh", m.curtailed_mwh, "MWh", "demand left unserved by dispatch"});
  return out;
}

}  // namespace hybridsim::sim
