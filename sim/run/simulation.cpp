#include "sim/run/simulation.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <span>
#include <stdexcept>

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
      energy_cost_usd_(ledger_.flow()),
      fixed_cost_usd_(ledger_.flow()),
      cash_usd_(ledger_.flow()),
      ctx_{engine_, rng_, recorder_, ledger_, world_, scenario_->build, cash_usd_},
      power_price_(scenario_->power_price.make()),
      power_rng_(rng_.stream("power_price")),
      dr_credits_usd_(ledger_.flow()),
      dr_curtailed_mwh_(ledger_.flow()),
      transmission_charge_usd_(ledger_.flow()) {
  const Scenario& s = *scenario_;
  cash_usd_.total = s.initial_cash_usd;
  arbiter_ = std::make_unique<PowerArbiter>(s.halls, s.cap_steps, s.dispatch.make(), s.decision_step_s);
  if (s.demand_response) demand_response_ = std::make_unique<DemandResponse>(*s.demand_response, s.start_unix_s);
  for (const auto& section : s.sections)
    for (auto& part : section->build()) parts_.push_back(std::move(part));
  rates_seen_.resize(parts_.size());
  engine_.set_advance_hook([this](SimTime from, SimTime to) { on_advance(from, to); });
}

Simulation::~Simulation() = default;

void Simulation::on_advance(SimTime from, SimTime to) {
  // The state after every event at `from` holds until `to`: set the rates, then integrate.
  double cash_rate = -fixed_cost_usd_.rate_per_s;
  for (std::size_t i = 0; i < parts_.size(); ++i) {
    FacilityPart& p = *parts_[i];
    const auto version = p.rates_version();
    if (world_changed_ || !version || version != rates_seen_[i]) {
      p.update_rates(world_);
      rates_seen_[i] = version;
    }
    cash_rate += p.cash_rate_usd_per_s();
  }
  world_changed_ = false;
  arbiter_->check_invariants();
#ifndef NDEBUG
  check_invariants(from);
#endif
  const double mw = arbiter_->grid_power_mw();
  if (demand_response_) {
    demand_response_->update_rates(mw);
    cash_rate += dr_credits_usd_.rate_per_s;
  }
  summary_.peak_grid_power_mw = std::max(summary_.peak_grid_power_mw, mw);
  energy_mwh_.rate_per_s = mw / 3600.0;
  energy_cost_usd_.rate_per_s = power_price_->cost_usd_per_h(mw, world_.power_price_usd_per_mwh) / 3600.0;
  cash_usd_.rate_per_s = cash_rate - energy_cost_usd_.rate_per_s;
  if (observer_) observer_(from, to);
  ledger_.integrate(to - from);
  if (ledger_.first_non_finite()) {
    const auto bad = recorder_.non_finite_now();
    fail_non_finite(bad ? bad->first : "a flow of the ledger", bad ? bad->second : NAN, to);
  }
}

void Simulation::check_invariants(SimTime now) {
  for (const auto& p : parts_) {
    p->check_invariants(now);
    ++invariant_checks_;
  }
  // Money is conserved: the cash is the initial cash plus what every part earned, less the
  // energy bill and fixed costs, plus demand-response credits less coincident-peak charges.
  double expected = scenario_->initial_cash_usd - energy_cost_usd_.total - fixed_cost_usd_.total +
                    dr_credits_usd_.total - transmission_charge_usd_.total;
  // Rounding grows with the gross amounts summed, not with their (possibly small) difference.
  double scale = std::abs(scenario_->initial_cash_usd) + std::abs(energy_cost_usd_.total) +
                 std::abs(fixed_cost_usd_.total) + std::abs(dr_credits_usd_.total) +
                 std::abs(transmission_charge_usd_.total) + std::abs(cash_usd_.total);
  for (const auto& p : parts_) {
    expected += p->cash_earned_usd();
    scale += std::abs(p->cash_earned_usd());
  }
  if (std::isfinite(expected) && std::abs(cash_usd_.total - expected) > 1e-9 * scale + 1e-6)
    throw std::logic_error("invariant broken at t=" + std::to_string(now) + " s: cash " +
                           std::to_string(cash_usd_.total) + " USD differs from the initial cash plus the flows (" +
                           std::to_string(expected) + " USD)");
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
  for (auto& p : parts_)
    for (PowerConsumer* c : p->consumers()) arbiter_->add(*c);
  if (demand_response_)
    demand_response_->start(
        engine_, s.horizon_s, [this] { return arbiter_->grid_power_mw(); }, energy_mwh_, dr_credits_usd_,
        dr_curtailed_mwh_, transmission_charge_usd_, cash_usd_, [this] { update_prices(); });
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
  rec.stock({"cash_usd", "USD", "cumulative cash: revenue less energy and fixed costs"},
            [this] { return cash_usd_.total; });
  const auto sample = [this](SimTime t) {
    recorder_.sample(t);
    if (const auto bad = recorder_.non_finite_in_last_sample()) fail_non_finite(bad->first, bad->second, t);
  };
  engine_.every(s.record_every_s, s.record_every_s, [this, sample] { sample(engine_.now()); }, priority::kRecord);
  if (start_observer_)
    start_observer_(recorder_.values_per_sample(), static_cast<std::size_t>(s.horizon_s / s.record_every_s) + 1);

  try {
    engine_.run_until(s.horizon_s);
  } catch (const StuckClock& stuck) {
    const auto bad = recorder_.non_finite_now();
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
  if (recorder_.last_sample_s() != s.horizon_s) sample(s.horizon_s);
  for (auto& p : parts_) p->finish(ctx_);

  summary_.energy_mwh = energy_mwh_.total;
  summary_.energy_cost_usd = energy_cost_usd_.total;
  summary_.cash_usd = cash_usd_.total;
  summary_.dr_credits_usd = dr_credits_usd_.total;
  summary_.dr_curtailed_mwh = dr_curtailed_mwh_.total;
  summary_.transmission_charge_usd = transmission_charge_usd_.total;
  summary_.events = engine_.events_run();
  summary_.decisions = arbiter_->decisions();
  for (const auto& p : parts_) p->summarize(summary_.items);

  output::RunDataset data = recorder_.take("seconds since " + format_utc(s.start_unix_s));
  auto& at = data.attributes;
  at.emplace_back("title", s.name);
  at.emplace_back("description", s.description);
  at.emplace_back("scenario_yaml", s.resolved_yaml);
  at.emplace_back("scenario_source", s.source);
  at.emplace_back("seed", static_cast<std::int64_t>(s.seed));
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
  at.emplace_back("Conventions", std::string("CF-1.8"));
  return data;
}

}  // namespace hybridsim::sim
