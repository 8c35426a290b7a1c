#include "sim/run/simulation.hpp"

#include <algorithm>
#include <stdexcept>

#include "models/ai/ai_section.hpp"
#include "sim/run/version.hpp"

namespace hybridsim::sim {

Simulation::Simulation(const Scenario& scenario)
    : scenario_(scenario),
      rng_(scenario.seed),
      energy_mwh_(ledger_.flow()),
      energy_cost_usd_(ledger_.flow()),
      fixed_cost_usd_(ledger_.flow()),
      cash_usd_(ledger_.flow()),
      ctx_{engine_, rng_, recorder_, ledger_, world_, scenario.build, cash_usd_},
      power_price_(scenario.power_price.make()),
      power_rng_(rng_.stream("power_price")) {
  cash_usd_.total = scenario.initial_cash_usd;
  world_.power_price_usd_per_mwh = power_price_->initial_usd_per_mwh();
  bitcoin_ = std::make_unique<models::bitcoin::BitcoinWorld>(scenario.bitcoin, world_);
  if (scenario.ai) parts_.push_back(models::ai::make_ai_part(scenario.ai));
  if (scenario.mining) {
    auto fleet = std::make_unique<models::bitcoin::MiningFleet>(scenario.mining, *bitcoin_);
    mining_ = fleet.get();
    parts_.push_back(std::move(fleet));
  }
  // Static allocation of the interconnect: AI parts reserve their maximum, mining takes
  // what is left (never more than the cap in total).
  double reserved_mw = 0.0;
  for (const auto& p : parts_)
    if (p.get() != mining_) reserved_mw += p->max_grid_power_mw();
  if (reserved_mw > scenario.power_cap_mw * (1 + 1e-12))  // load_scenario rejects such input
    throw std::logic_error("GPU reservation " + std::to_string(reserved_mw) + " MW exceeds the cap");
  if (mining_) mining_->set_power_limit_mw(scenario.power_cap_mw - reserved_mw);
  engine_.set_advance_hook([this](SimTime from, SimTime to) { on_advance(from, to); });
}

Simulation::~Simulation() = default;

double Simulation::grid_power_mw() const {
  double mw = 0.0;
  for (const auto& p : parts_) mw += p->grid_power_mw();
  return mw;
}

void Simulation::on_advance(SimTime from, SimTime to) {
  // The state after every event at `from` holds until `to`: set the rates, then integrate.
  double cash_rate = -fixed_cost_usd_.rate_per_s;
  for (const auto& p : parts_) {
    p->update_rates(world_);
    cash_rate += p->cash_rate_usd_per_s();
  }
  const double mw = grid_power_mw();
  if (mw > scenario_.power_cap_mw * (1 + 1e-12))
    throw std::logic_error("invariant broken: grid power " + std::to_string(mw) + " MW exceeds the cap");
  summary_.peak_grid_power_mw = std::max(summary_.peak_grid_power_mw, mw);
  energy_mwh_.rate_per_s = mw / 3600.0;
  energy_cost_usd_.rate_per_s = mw * world_.power_price_usd_per_mwh / 3600.0;
  cash_usd_.rate_per_s = cash_rate - energy_cost_usd_.rate_per_s;
  ledger_.integrate(to - from);
}

void Simulation::step_power_price() {
  world_.power_price_usd_per_mwh = power_price_->next_usd_per_mwh(
      world_.power_price_usd_per_mwh, engine_.now() - scenario_.power_step_s, scenario_.power_step_s, power_rng_);
}

output::RunDataset Simulation::run() {
  if (ran_) throw std::logic_error("a Simulation runs once");
  ran_ = true;
  fixed_cost_usd_.rate_per_s = scenario_.fixed_cost_usd_per_year / static_cast<double>(kSecondsPerYear);

  bitcoin_->start(ctx_, [this](const models::bitcoin::BlockFound& b) {
    if (mining_) mining_->on_block(b);
  });
  engine_.every(scenario_.power_step_s, scenario_.power_step_s, [this] { step_power_price(); }, priority::kWorld);
  recorder_.stock({"power_price_usd_per_mwh", "USD/MWh", "grid energy price"},
                  [this] { return world_.power_price_usd_per_mwh; });
  for (auto& p : parts_) p->start(ctx_);
  recorder_.stock({"grid_power_mw", "MW", "grid power of the facility, cooling included"},
                  [this] { return grid_power_mw(); });
  recorder_.flow({"energy_mwh", "MWh", "grid energy drawn"}, energy_mwh_);
  recorder_.flow({"energy_cost_usd", "USD", "cost of grid energy"}, energy_cost_usd_);
  recorder_.flow({"fixed_cost_usd", "USD", "fixed costs (staff, maintenance)"}, fixed_cost_usd_);
  recorder_.stock({"cash_usd", "USD", "cumulative cash: revenue less energy and fixed costs"},
                  [this] { return cash_usd_.total; });
  engine_.every(scenario_.record_every_s, scenario_.record_every_s, [this] { recorder_.sample(engine_.now()); },
                priority::kRecord);

  engine_.run_until(scenario_.horizon_s);
  if (recorder_.last_sample_s() != scenario_.horizon_s) recorder_.sample(scenario_.horizon_s);
  bitcoin_->finish(ctx_);
  for (auto& p : parts_) p->finish(ctx_);

  summary_.energy_mwh = energy_mwh_.total;
  summary_.energy_cost_usd = energy_cost_usd_.total;
  summary_.cash_usd = cash_usd_.total;
  summary_.final_height = bitcoin_->chain().height();
  summary_.halvings = world_.halvings_seen;
  summary_.events = engine_.events_run();

  if (mining_) {
    summary_.mining_revenue_btc = mining_->revenue_btc_total();
    summary_.mining_revenue_usd = mining_->revenue_usd_total();
  }

  output::RunDataset data = recorder_.take("seconds since " + format_utc(scenario_.start_unix_s));
  auto& a = data.attributes;
  a.emplace_back("title", scenario_.name);
  a.emplace_back("description", scenario_.description);
  a.emplace_back("scenario_yaml", scenario_.resolved_yaml);
  a.emplace_back("scenario_source", scenario_.source);
  a.emplace_back("seed", static_cast<std::int64_t>(scenario_.seed));
  a.emplace_back("hybridsim_version", std::string(kVersion));
  a.emplace_back("start", format_utc(scenario_.start_unix_s) + " UTC");
  a.emplace_back("horizon_s", static_cast<std::int64_t>(scenario_.horizon_s));
  a.emplace_back("events", static_cast<std::int64_t>(summary_.events));
  a.emplace_back("summary_energy_mwh", summary_.energy_mwh);
  a.emplace_back("summary_energy_cost_usd", summary_.energy_cost_usd);
  a.emplace_back("summary_mining_revenue_btc", summary_.mining_revenue_btc);
  a.emplace_back("summary_mining_revenue_usd", summary_.mining_revenue_usd);
  a.emplace_back("summary_cash_usd", summary_.cash_usd);
  a.emplace_back("summary_peak_grid_power_mw", summary_.peak_grid_power_mw);
  a.emplace_back("Conventions", std::string("CF-1.8"));
  return data;
}

}  // namespace hybridsim::sim
