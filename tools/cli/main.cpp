// hybridsim: run, validate and inspect scenarios; list the registered models.
//
// Exit codes: 0 success, 2 bad input (scenario or command line), 1 internal error.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/output/hdf5_writer.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"
#include "sim/run/version.hpp"
#include "tools/cli/inspect.hpp"
#include "tools/cli/models_listing.hpp"
#include "tools/cli/sweep_command.hpp"

namespace hs = hybridsim::sim;

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 1;

struct RunOptions {
  std::string scenario;
  std::string output;
  std::vector<std::string> sets;
  std::optional<std::uint64_t> seed;
  bool quiet = false;
};

hs::Scenario load(const RunOptions& o, hs::config::Document& doc) {
  for (const auto& s : o.sets) doc.set(s);
  return hs::load_scenario(doc, hybridsim::models::plugins(), o.seed);
}

std::string default_output(const RunOptions& o) {
  return (std::filesystem::path("results") / (std::filesystem::path(o.scenario).stem().string() + ".h5")).string();
}

int cmd_run(const RunOptions& o) {
  auto doc = hs::config::Document::load_file(o.scenario);
  const hs::Scenario scenario = load(o, doc);
  const std::filesystem::path out = o.output.empty() ? default_output(o) : o.output;
  if (o.output.empty() && out.has_parent_path()) std::filesystem::create_directories(out.parent_path());
  if (out.has_parent_path() && !std::filesystem::is_directory(out.parent_path())) {
    std::cerr << "hybridsim: -o " << out.string() << ": the folder " << out.parent_path().string()
              << " does not exist\n";
    return kExitBadInput;
  }
  const auto t0 = std::chrono::steady_clock::now();
  hs::Simulation sim(scenario);
  const hs::output::RunDataset data = sim.run();
  const auto t1 = std::chrono::steady_clock::now();
  hs::output::write_run_hdf5(out, data);
  const double wall_s = std::chrono::duration<double>(t1 - t0).count();
  const auto& s = sim.summary();
  if (!o.quiet) {
    const double years = static_cast<double>(scenario.horizon_s) / hs::kSecondsPerYear;
    fmt::print("scenario        {} ({:.2f} years from {} UTC, seed {})\n", scenario.name, years,
               hs::format_utc(scenario.start_unix_s), scenario.seed);
    fmt::print("events          {} in {:.3f} s ({:.2f} M events/s)\n", s.events, wall_s, s.events / wall_s / 1e6);
    fmt::print("energy          {:.0f} MWh, cost {:.0f} USD, peak grid power {:.2f} MW, {} dispatch decisions\n",
               s.energy_mwh, s.energy_cost_usd, s.peak_grid_power_mw, s.decisions);
    if (scenario.demand_response)
      fmt::print("grid programs   {:.0f} USD demand-response credits for {:.1f} MWh curtailed, {:.0f} USD "
                 "coincident-peak charges\n",
                 s.dr_credits_usd, s.dr_curtailed_mwh, s.transmission_charge_usd);
    for (const auto& i : s.items) fmt::print("{:<23} {:>18.6f} {:<4} {}\n", i.key, i.value, i.units, i.description);
    fmt::print("revenue         {:.0f} USD; operating costs {:.0f} USD; EBITDA {:.0f} USD\n", s.revenue_usd,
               s.operating_cost_usd, s.ebitda_usd);
    for (const auto& a : s.accounts)
      if (a.value != 0.0) fmt::print("  {:<30} {:>18.0f} USD  {}\n", a.key, a.value, a.description);
    fmt::print("capital spent   {:.0f} USD; deepest drawdown {:.0f} USD; curtailed {:.1f} MWh\n", s.capital_spent_usd,
               s.max_drawdown_usd, s.curtailed_mwh);
    fmt::print("NPV             {:.0f} USD at {:.1f}%/year; IRR {:.2f}%/year; payback {}\n", s.npv_usd,
               100 * scenario.discount_rate_per_year, 100 * s.irr_per_year, s.payback_date);
    fmt::print("cash            {:.0f} USD at the horizon\n", s.cash_usd);
    fmt::print("wrote           {}\n", out.string());
  }
  return 0;
}

int cmd_validate(const RunOptions& o) {
  auto doc = hs::config::Document::load_file(o.scenario);
  const hs::Scenario scenario = load(o, doc);
  fmt::print("{}: valid scenario '{}'\n", o.scenario, scenario.name);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hybridsim: a discrete-event simulator of a facility that mines bitcoin and trains AI "
               "models under one power budget"};
  app.set_version_flag("--version", std::string("hybridsim ") + hs::kVersion);
  app.require_subcommand(1);

  RunOptions opt;
  auto* run = app.add_subcommand("run", "run a scenario and write its time series to HDF5");
  run->add_option("scenario", opt.scenario, "scenario YAML file")->required();
  run->add_option("-o,--output", opt.output, "HDF5 file to write (default results/<scenario>.h5)");
  run->add_option("--set", opt.sets, "override a value: key.path=value (repeatable)");
  run->add_option("--seed", opt.seed, "override the scenario's seed");
  run->add_flag("-q,--quiet", opt.quiet, "print nothing on success");

  auto* validate = app.add_subcommand("validate", "check a scenario without running it");
  validate->add_option("scenario", opt.scenario, "scenario YAML file")->required();
  validate->add_option("--set", opt.sets, "override a value: key.path=value (repeatable)");
  validate->add_option("--seed", opt.seed, "override the scenario's seed");

  std::string family;
  auto* models = app.add_subcommand("models", "list every model and scenario section with its parameters");
  models->add_option("family", family, "only this family (e.g. btc_price)");

  std::string inspect_path;
  auto* inspect = app.add_subcommand("inspect", "describe an HDF5 result file");
  inspect->add_option("file", inspect_path, "HDF5 file written by hybridsim")->required()->check(CLI::ExistingFile);

  hybridsim::tools::SweepCommandOptions sweep_opt;
  auto* sweep = hybridsim::tools::add_sweep_command(app, sweep_opt);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitBadInput;
  }

  try {
    if (*run) return cmd_run(opt);
    if (*validate) return cmd_validate(opt);
    if (*models) return hybridsim::tools::print_models(std::cout, family) ? 0 : kExitBadInput;
    if (*inspect) return hybridsim::tools::inspect(std::cout, inspect_path);
    if (*sweep) return hybridsim::tools::run_sweep_command(sweep_opt);
  } catch (const hs::config::ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "hybridsim: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return 0;
}
