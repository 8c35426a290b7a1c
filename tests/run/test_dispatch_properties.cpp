// Property tests of the dispatch layer over random scenarios (seeded, deterministic): every
// dispatch policy under every power price model, with cap steps, hall limits and PUEs, ASIC
// cohorts (failures, ramps, shut-off margins) and GPU clusters (owned with Poisson jobs,
// tenants under colocation leases, AI shocks). At every clock step:
//   - the cap in force is the step the scenario gives for that instant;
//   - grid power ≤ cap · (1 + 1e-12), each hall ≤ its limit · (1 + 1e-12);
//   - grid power = ASIC power + GPU power, IT power ≤ grid power (PUE ≥ 1);
// and over the run:
//   - energy_mwh = ∫ grid power dt, integrated here step by step (relative 1e-9);
//   - energy_cost_usd = ∫ P·p dt (a PPA: ∫ (B·c + (P − B)·p) dt), with p replayed here from a
//     fresh instance of the price model on the run's "power_price" stream.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/config/errors.hpp"
#include "sim/core/rng_streams.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"

namespace hs = hybridsim::sim;

namespace {

constexpr std::int64_t kStartUnix = 1'717'200'000;  // 2024-06-01T00:00:00Z
const char* const kPolicies[] = {"static", "ai_first", "mining_first", "marginal_value", "price_threshold"};
const char* const kPrices[] = {"fixed", "time_of_use", "ou_spot", "csv", "ppa"};

std::string num(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

std::string date(std::int64_t since_start_s) {
  const std::time_t t = static_cast<std::time_t>(kStartUnix + since_start_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

struct Gen {
  std::mt19937_64 rng;
  double uniform(double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); }
  int integer(int a, int b) { return std::uniform_int_distribution<int>(a, b)(rng); }
  bool coin(double p = 0.5) { return uniform(0, 1) < p; }
  template <typename T, std::size_t N>
  const T& pick(const T (&xs)[N]) {
    return xs[static_cast<std::size_t>(integer(0, static_cast<int>(N) - 1))];
  }
};

struct Generated {
  std::string yaml;
  std::vector<hs::CapStep> caps;  // seconds since the start
  bool ppa = false;
  double ppa_block_mw = 0.0, ppa_contract = 0.0;
  double dr_credit_usd_per_mwh = -1.0;  // < 0: no demand-response program
};

std::string ou_spot(Gen& g) {
  const char* steps[] = {"15m", "1h"};
  return "{model: ou_spot, mean_usd_per_mwh: " + num(g.uniform(15, 60)) + ", reversion_per_day: " + num(g.uniform(0.5, 5)) +
         ", stationary_sd_usd_per_mwh: " + num(g.uniform(5, 40)) + ", step: " + g.pick(steps) +
         ", spike: {rate_per_year: " + num(g.uniform(0, 300)) + ", mean_usd_per_mwh: " + num(g.uniform(100, 2000)) +
         ", duration: 2h}, floor_usd_per_mwh: -25}";
}

/// One random scenario with the given policy and price model; `csv_path` is where a CSV price
/// file may be written.
Generated generate(Gen& g, int policy, int price, const std::filesystem::path& csv_path) {
  Generated out;
  const int days = g.integer(3, 21);
  const std::int64_t horizon_s = std::llround(days * 86400.0 / 31557600.0 * 31557600.0);
  std::string y = "name: prop\nstart: 2024-06-01T00:00:00Z\nhorizon_years: " + num(days * 86400.0 / 31557600.0) +
                  "\nseed: " + std::to_string(g.integer(1, 1000000)) + "\nrecord_every: 1h\n";

  // World.
  y += "world:\n  bitcoin: {start_height: 842687, start_difficulty: " + num(8.0e13 * g.uniform(0.6, 1.4)) + "}\n";
  y += g.coin() ? "  btc_price: {model: constant, initial_usd: " + num(g.uniform(30000, 90000)) + "}\n"
                : "  btc_price: {model: gbm, initial_usd: 60000, vol_per_year: " + num(g.uniform(0.2, 1.0)) + "}\n";
  y += "  network: {model: growth, growth_per_year: " + num(g.uniform(0, 0.4)) + ", initial_ths: 5.0e8}\n";
  y += "  fees: {model: share_of_subsidy, share: " + num(g.uniform(0, 0.3)) + "}\n";
  switch (price) {
    case 0: y += "  power_price: {model: fixed, price_usd_per_mwh: " + num(g.uniform(-20, 140)) + "}\n"; break;
    case 1: {
      std::string table;
      for (int h = 0; h < 24; ++h) table += (h ? ", " : "") + num(g.uniform(-15, 160));
      const char* offsets[] = {"-6", "0", "5.5", "9"};
      y += "  power_price: {model: time_of_use, usd_per_mwh: [" + table + "], utc_offset_hours: " + g.pick(offsets) + "}\n";
      break;
    }
    case 2: y += "  power_price: " + ou_spot(g) + "\n"; break;
    case 3: {
      // Hourly rows from an hour before the start to past the horizon (held after the last).
      std::ofstream f(csv_path);
      f << "time,price\n";
      const int spacings_h[] = {1, 1, 3};
      const int every_h = g.pick(spacings_h);
      for (std::int64_t t = -3600; t <= horizon_s + 3600; t += every_h * 3600) f << date(t) << "," << num(g.uniform(-30, 250)) << "\n";
      y += "  power_price: {model: csv, path: " + csv_path.string() + "}\n";
      break;
    }
    case 4:
      out.ppa = true;
      out.ppa_block_mw = g.coin(0.2) ? 0.0 : g.uniform(0, 40);
      out.ppa_contract = g.uniform(10, 80);
      y += "  power_price: {model: ppa, block_mw: " + num(out.ppa_block_mw) + ", contract_usd_per_mwh: " +
           num(out.ppa_contract) + ", spot: " + ou_spot(g) + "}\n";
      // The values as the scenario will read them (the text rounds to 10 digits).
      out.ppa_block_mw = std::stod(num(out.ppa_block_mw));
      out.ppa_contract = std::stod(num(out.ppa_contract));
      break;
  }

  // Facility: cap (a number, or steps at whole hours), halls.
  const double base_cap = g.uniform(5, 60);
  out.caps.push_back(hs::CapStep{0, std::stod(num(base_cap))});
  const int n_steps = g.integer(0, 3);
  std::vector<std::int64_t> at;
  for (int k = 0; k < n_steps; ++k) at.push_back(3600 * g.integer(1, static_cast<int>(horizon_s / 3600) - 1));
  std::sort(at.begin(), at.end());
  at.erase(std::unique(at.begin(), at.end()), at.end());
  for (auto t : at) out.caps.push_back(hs::CapStep{t, std::stod(num(base_cap * g.uniform(0.3, 1.5)))});
  y += "facility:\n";
  if (out.caps.size() == 1 && g.coin()) {
    y += "  power_cap_mw: " + num(out.caps[0].mw) + "\n";
  } else {
    y += "  power_cap_mw:\n";
    for (std::size_t k = 0; k < out.caps.size(); ++k)
      y += "    - {from: " + date(out.caps[k].from_s) + ", mw: " + num(out.caps[k].mw) + "}\n";
  }
  double max_cap = 0.0, min_cap = 1e300;
  for (const auto& c : out.caps) {
    max_cap = std::max(max_cap, c.mw);
    min_cap = std::min(min_cap, c.mw);
  }
  const int n_halls = g.integer(1, 3);
  y += "  halls:\n";
  for (int h = 0; h < n_halls; ++h) {
    y += "    - {name: h" + std::to_string(h) + ", pue: " + num(g.uniform(1.0, 1.5));
    if (g.coin(0.4)) y += ", limit_mw: " + num(max_cap * g.uniform(0.2, 1.0));
    y += "}\n";
  }
  const auto hall = [&] { return "h" + std::to_string(g.integer(0, n_halls - 1)); };

  // ASIC cohorts.
  int n_cohorts = g.integer(0, 3);
  const bool owned_gpus = g.coin(0.5), tenant = g.coin(0.5);
  if (n_cohorts == 0 && !owned_gpus && !tenant) n_cohorts = 1;
  if (n_cohorts > 0) {
    y += "  asic_cohorts:\n";
    for (int k = 0; k < n_cohorts; ++k) {
      y += "    - {model: m" + std::to_string(k) + ", count: " + std::to_string(g.integer(100, 6000)) +
           ", hashrate_ths: " + num(g.uniform(50, 250)) + ", power_w: " + num(g.uniform(2000, 4000)) + ", hall: " + hall();
      if (g.coin(0.4)) y += ", failure_rate_per_year: " + num(g.uniform(0, 30)) + ", repair: 6h";
      y += "}\n";
    }
    const char* ramps[] = {"1h", "6h", "1d", "3d"};
    y += "  pool: {model: fpps, fee: " + num(g.uniform(0, 0.05)) + "}\n";
    y += "  mining: {shutoff: " + std::string(g.coin(0.8) ? "true" : "false") + ", shutoff_margin: " +
         num(g.coin() ? 0.0 : g.uniform(0, 0.3)) + ", ramp: " + g.pick(ramps) + "}\n";
  }

  // GPU clusters: owned ones with Poisson jobs, a tenant under a colocation lease.
  if (owned_gpus || tenant) {
    y += "  gpu_clusters:\n";
    if (owned_gpus) {
      const int n = g.integer(1, 2);
      const char* gpus[] = {"H100 SXM", "B200"};
      const int counts[] = {512, 1024, 2048, 4096};
      for (int k = 0; k < n; ++k)
        y += "    - {name: own" + std::to_string(k) + ", gpu: " + g.pick(gpus) + ", count: " +
             std::to_string(g.pick(counts)) + ", hall: " + hall() + "}\n";
    }
    if (tenant) {
      const int count = g.integer(1000, 20000);
      y += "    - {name: tenant, gpu: H100 SXM, count: " + std::to_string(count) + ", hall: " + hall() +
           ", owner: tenant, contract: lease, load: " + num(g.uniform(0.2, 1.0)) + "}\n";
      y += "  contracts:\n    - {name: lease, model: colocation, committed_mw: " + num(count * 700e-6) +
           ", usd_per_kw_month: " + num(g.uniform(60, 160)) + ", sla_credit_multiple: " + num(g.uniform(0, 3));
      if (g.coin(0.3)) y += ", default_hazard_per_year: " + num(g.uniform(1, 40));
      y += "}\n";
    }
    if (owned_gpus) {
      y += "  gpu_price: {model: constant, usd_per_gpu_hour: " + num(g.uniform(0.5, 4)) + "}\n";
      y += "  jobs: {model: poisson, rate_per_day: " + num(g.uniform(5, 80)) +
           ", gpus: {choices: [8, 64, 256]}, hours: {exponential: " + num(g.uniform(0.5, 12)) + "}}\n";
    }
    if (g.coin(0.3))
      y += "  ai_shock: {at: " + date(3600 * g.integer(1, static_cast<int>(horizon_s / 3600) - 1)) +
           ", default_probability: " + num(g.uniform(0.5, 1)) + ", spot_price_factor: 0.4, demand_factor: 0.3}\n";
  }

  // Dispatch.
  const char* decision_steps[] = {"15m", "1h", "4h"};
  y += "  dispatch: {model: " + std::string(kPolicies[policy]) + ", decision_step: " + g.pick(decision_steps);
  if (policy == 4)
    y += g.coin() ? ", threshold_usd_per_mwh: " + num(g.uniform(0, 120)) : ", hashprice_multiple: " + num(g.uniform(0.5, 2));
  y += "}\n";
  // Demand response in some runs: one program, triggered by a price and/or a scheduled event,
  // and sometimes coincident peaks with a prediction rule.
  if (g.coin(0.4)) {
    out.dr_credit_usd_per_mwh = g.uniform(0, 400);
    y += "  demand_response:\n    programs:\n      - {name: dr, credit_usd_per_mwh: " + num(out.dr_credit_usd_per_mwh);
    const bool by_price = g.coin();
    if (by_price) y += ", price_above_usd_per_mwh: " + num(g.uniform(20, 200));
    if (!by_price || g.coin())
      y += ", events: [{start: " + date(3600 * g.integer(0, static_cast<int>(horizon_s / 3600) - 1)) +
           ", duration: " + std::to_string(g.integer(1, 12)) + "h}]";
    y += "}\n";
    if (g.coin())
      y += "    coincident_peaks: {rate_usd_per_mw_year: " + num(g.uniform(0, 100000)) +
           ", peaks: [" + date(900 * g.integer(1, static_cast<int>(horizon_s / 900) - 2)) +
           "], predict: {months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], hours: [16, 17], utc_offset_hours: -5}}\n";
  }
  (void)min_cap;
  out.yaml = y;
  return out;
}

double cap_at(const std::vector<hs::CapStep>& caps, hs::SimTime t) {
  double mw = caps.front().mw;
  for (const auto& c : caps)
    if (c.from_s <= t) mw = c.mw;
  return mw;
}

}  // namespace

TEST_CASE("dispatch properties over random scenarios: cap, halls, energy and its cost", "[dispatch][property]") {
  const auto dir = std::filesystem::temp_directory_path() / ("hybridsim-dispatch-prop-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto clock0 = std::chrono::steady_clock::now();

  constexpr int kRuns = 250;
  int ran[5][5] = {};  // [policy][price]
  std::map<std::string, int> rejected;
  std::uint64_t steps_checked = 0;
  // How many runs reached each situation at least once (the properties must be exercised).
  std::map<std::string, int> seen;
  for (int i = 0; i < kRuns; ++i) {
    const int price = i % 5, policy = (i / 5) % 5;
    Gen g{std::mt19937_64(0x5eed0000ULL + static_cast<std::uint64_t>(i))};
    for (int attempt = 0;; ++attempt) {
      REQUIRE(attempt < 50);
      const Generated gen = generate(g, policy, price, dir / ("prices-" + std::to_string(i) + ".csv"));
      auto doc = hs::config::Document::load_string(gen.yaml, "prop.yaml");
      std::optional<hs::Scenario> loaded;
      try {
        loaded.emplace(hs::load_scenario(doc, hybridsim::models::plugins()));
      } catch (const hs::config::ScenarioError& e) {
        // Only the rejections a random facility may earn; anything else is a generator bug.
        const std::string what = e.what();
        INFO(gen.yaml << "\n" << what);
        const bool gpu_above_cap = what.find("more than the cap") != std::string::npos;
        REQUIRE(gpu_above_cap);
        ++rejected[std::string(kPolicies[policy]) + ": GPU nameplate above the cap"];
        continue;
      }
      const hs::Scenario& s = *loaded;
      INFO("run " << i << "\n" << gen.yaml);

      // The price replayed here: a fresh model on the run's own stream, stepped as the kernel does.
      auto model = s.power_price.make();
      hs::Rng price_rng = hs::RngStreams(s.seed).stream("power_price");
      hs::PowerPriceModel::Step step = model->step(0, price_rng);

      hs::Simulation sim(s);
      double energy = 0.0, cost = 0.0, cost_scale = 0.0;
      std::uint64_t steps = 0;
      bool ok = true;
      std::map<std::string, bool> here;
      sim.set_step_observer([&](hs::SimTime from, hs::SimTime to) {
        const auto& a = sim.arbiter();
        while (from >= step.until_s) step = model->step(step.until_s, price_rng);
        const double p = step.usd_per_mwh;
        const double mw = a.grid_power_mw();
        const double cap = a.cap_mw();
        ++steps;
        // Report only the first broken step of a run (a broken run breaks at many).
        const auto fail = [&](bool good) {
          if (!good) ok = false;
          return good;
        };
        if (!ok) return;
        if (!fail(cap == cap_at(gen.caps, from))) FAIL_CHECK("cap " << cap << " at t = " << from << ", expected " << cap_at(gen.caps, from));
        if (!fail(mw <= cap * (1 + 1e-12) && mw >= 0.0)) FAIL_CHECK("grid " << mw << " MW above the cap " << cap << " at t = " << from);
        for (std::size_t h = 0; h < a.halls().size(); ++h)
          if (!fail(a.hall_power_mw(h) <= a.halls()[h].limit_mw * (1 + 1e-12)))
            FAIL_CHECK("hall " << a.halls()[h].name << " draws " << a.hall_power_mw(h) << " MW above its limit "
                               << a.halls()[h].limit_mw << " at t = " << from);
        const double parts = a.power_mw(hs::LoadKind::kAsic) + a.power_mw(hs::LoadKind::kGpu);
        if (!fail(std::abs(parts - mw) <= 1e-9 * std::max(1.0, mw))) FAIL_CHECK("ASIC + GPU " << parts << " != grid " << mw);
        if (!fail(a.it_power_mw() <= mw * (1 + 1e-12) + 1e-12)) FAIL_CHECK("IT power above grid power at t = " << from);
        if (mw >= cap * (1 - 1e-3)) here["grid within 0.1% of the cap"] = true;
        for (std::size_t h = 0; h < a.halls().size(); ++h)
          if (a.hall_power_mw(h) >= a.halls()[h].limit_mw * (1 - 1e-2)) here["a hall within 1% of its limit"] = true;
        if (p < 0) here["a negative price"] = true;
        if (from > 0 && cap != gen.caps.front().mw) here["a cap step taken"] = true;
        if (a.curtail_reason() == hs::CurtailReason::kPrice) here["curtailed by the price"] = true;
        if (a.curtail_reason() == hs::CurtailReason::kCap) here["curtailed by the cap or a hall"] = true;
        if (a.power_mw(hs::LoadKind::kGpu) > 0 && a.power_mw(hs::LoadKind::kAsic) > 0) here["ASICs and GPUs both drawing"] = true;
        const double dt_h = static_cast<double>(to - from) / 3600.0;
        energy += mw * dt_h;
        const double usd_per_h = gen.ppa ? gen.ppa_block_mw * gen.ppa_contract + (mw - gen.ppa_block_mw) * p : mw * p;
        cost += usd_per_h * dt_h;
        cost_scale += (std::abs(mw * p) + (gen.ppa ? gen.ppa_block_mw * (std::abs(p) + std::abs(gen.ppa_contract)) : 0.0)) * dt_h;
      });
      sim.run();
      const auto& sum = sim.summary();
      CHECK(ok);
      CHECK(steps > 0);
      CHECK(sum.energy_mwh == Approx(energy).epsilon(1e-9).margin(1e-9));
      CHECK(sum.energy_cost_usd == Approx(cost).margin(1e-9 * cost_scale + 1e-9));
      // Credits are the rate times the MWh curtailed below the baseline, and never negative.
      if (gen.dr_credit_usd_per_mwh >= 0) {
        CHECK(sum.dr_curtailed_mwh >= 0.0);
        CHECK(sum.dr_credits_usd == Approx(gen.dr_credit_usd_per_mwh * sum.dr_curtailed_mwh).epsilon(1e-9).margin(1e-9));
        if (sum.dr_curtailed_mwh > 0) here["demand-response credits earned"] = true;
      }
      CHECK(sum.peak_grid_power_mw <= std::max_element(gen.caps.begin(), gen.caps.end(), [](auto& a, auto& b) {
                                        return a.mw < b.mw;
                                      })->mw * (1 + 1e-12));
      steps_checked += steps;
      for (const auto& [what, yes] : here) seen[what] += yes ? 1 : 0;
      ++ran[policy][price];
      break;
    }
  }
  std::filesystem::remove_all(dir);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock0).count();

  // The tally (printed for the report) and enough runs of each policy and price model.
  std::printf("dispatch properties: %d runs, %llu clock steps checked, %.1f s\n", kRuns,
              static_cast<unsigned long long>(steps_checked), seconds);
  std::printf("%-16s", "policy \\ price");
  for (const char* p : kPrices) std::printf("%12s", p);
  std::printf("%8s\n", "all");
  int total = 0;
  for (int q = 0; q < 5; ++q) {
    std::printf("%-16s", kPolicies[q]);
    int row = 0;
    for (int p = 0; p < 5; ++p) {
      std::printf("%12d", ran[q][p]);
      row += ran[q][p];
      CHECK(ran[q][p] >= 8);
    }
    std::printf("%8d\n", row);
    total += row;
  }
  for (const auto& [why, n] : rejected) std::printf("rejected and regenerated: %d × %s\n", n, why.c_str());
  CHECK(total >= 200);
  for (const char* what : {"grid within 0.1% of the cap", "a hall within 1% of its limit", "a negative price",
                           "a cap step taken", "curtailed by the price", "curtailed by the cap or a hall",
                           "ASICs and GPUs both drawing", "demand-response credits earned"}) {
    std::printf("runs with %s: %d\n", what, seen[what]);
    INFO(what);
    CHECK(seen[what] >= 20);
  }
}
