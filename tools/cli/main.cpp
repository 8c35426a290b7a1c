// hybridsim: run, validate and inspect scenarios; list the registered models.
//
// Exit codes: 0 success, 2 bad input (scenario or command line), 1 internal error.
#include <hdf5.h>
#include <unistd.h>

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
#include "sim/config/near_names.hpp"
#include "sim/config/overrides.hpp"
#include "sim/output/hdf5_file.hpp"
#include "sim/output/hdf5_writer.hpp"
#include "sim/output/stream_writer.hpp"
#include "sim/output/output_file.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"
#include "sim/run/version.hpp"
#include "tools/cli/analyze_command.hpp"
#include "sim/sweep/progress.hpp"
#include "tools/cli/inspect.hpp"
#include "tools/cli/models_listing.hpp"
#include "tools/cli/report_command.hpp"
#include "tools/cli/sweep_command.hpp"

namespace hs = hybridsim::sim;

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 1;

constexpr const char* kSetHelp =
    "replace the value at KEY with VALUE, parsed as YAML (a scalar, a list [8, 64] or a map {model: csv, "
    "path: p.csv}); KEY spells list items by index or name: facility.gpu_clusters[0].hall, "
    "facility.gpu_clusters[cloud].hall (repeatable; applied in order, after every --unset)";
constexpr const char* kUnsetHelp = "delete the key or list item KEY, e.g. facility.ai_shock (repeatable)";

struct RunOptions {
  std::string scenario;
  std::string output;
  std::vector<std::string> sets;
  std::vector<std::string> unsets;
  std::optional<std::uint64_t> seed;
  bool quiet = false;
  bool force = false;
};

hs::Scenario load(const RunOptions& o, hs::config::Document& doc) {
  hs::config::Overrides overrides;
  for (const auto& u : o.unsets) overrides.unset(u);
  for (const auto& s : o.sets) overrides.set_option(s);
  overrides.apply(doc);
  hs::Scenario scenario = hs::load_scenario(doc, hybridsim::models::plugins(), o.seed);
  for (const auto& w : scenario.warnings) std::cerr << w << "\n";
  return scenario;
}

std::string default_output(const RunOptions& o) {
  return (std::filesystem::path("results") / (std::filesystem::path(o.scenario).stem().string() + ".h5")).string();
}

std::string megabytes(double bytes) { return fmt::format("{:.0f} MB", bytes / 1e6); }

// Refuses, before the clock starts, a run whose results would not fit on the disk: the file
// can be as large as the values uncompressed. (Memory is no limit: the series and the job
// table stream to the file as the run goes.)
void check_budget(const RunOptions& o, const hs::output::OutputFile& file, std::size_t values_per_sample,
                  std::size_t samples) {
  if (o.force) return;
  const double bytes = static_cast<double>(values_per_sample) * static_cast<double>(samples) * 8.0;
  const std::string estimate = fmt::format("the run would record {} samples of {} values, about {}", samples,
                                           values_per_sample, megabytes(bytes));
  const std::string fix = "; record less often (record_every), shorten horizon_years, or pass --force to run anyway";
  if (const auto free = file.free_bytes(); free && bytes > static_cast<double>(*free))
    throw hs::config::ScenarioError(hs::config::Location{o.scenario},
                                    estimate + ", and the file may take as much; only " +
                                        megabytes(static_cast<double>(*free)) + " are free in the folder of " +
                                        file.path().string() + fix);
}

int cmd_run(const RunOptions& o) {
  auto doc = hs::config::Document::load_file(o.scenario);
  const hs::Scenario scenario = load(o, doc);
  const std::filesystem::path out = o.output.empty() ? default_output(o) : o.output;
  if (o.output.empty() && out.has_parent_path()) std::filesystem::create_directories(out.parent_path());
  // Checked (and its temporary reserved) before the run: an unusable path fails in a second.
  hs::output::OutputFile file(out, o.scenario);
  const auto t0 = std::chrono::steady_clock::now();
  hs::Simulation sim(scenario);
  sim.set_start_observer([&](std::size_t values, std::size_t samples) { check_budget(o, file, values, samples); });
  // The series and tables stream to the temporary as the run goes, written on a thread of
  // their own; the file is renamed into place only once complete.
  hs::output::StreamWriter writer(file.temporary());
  sim.stream_to(writer);
  // Progress after 3 s: a bar on a terminal, a line every 10 s in a log; nothing for quick runs.
  hybridsim::sweep::Progress progress(scenario.horizon_s, o.quiet ? nullptr : stderr, isatty(STDERR_FILENO) != 0,
                                      10.0, "run", 3.0);
  sim.set_progress_observer([&](hs::SimTime now) {
    progress.update(now, [&, now] {
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      return fmt::format("{} UTC, {:.2f} M events/s", hs::format_utc(scenario.start_unix_s + now).substr(0, 10),
                         s > 0 ? static_cast<double>(sim.engine().events_run()) / s / 1e6 : 0.0);
    });
  });
  hs::output::RunDataset data;
  try {  // a write that fails (a full disk) stops the run at its next block
    data = sim.run();
    progress.finish();
    writer.finish(data.attributes);
  } catch (const hs::output::hdf5::Error& e) {
    throw hs::config::ScenarioError(hs::config::Location{out.string()},
                                    std::string("cannot write the results: ") + e.what() +
                                        "; nothing was written and any previous file is left as it was");
  }
  const auto t1 = std::chrono::steady_clock::now();
  file.commit_written();
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
    if (scenario.terminal_value != "none")
      fmt::print("                of which {:.0f} USD terminal value ({}), {:.0f} USD the simulated years\n",
                 s.terminal_value_usd, scenario.terminal_value, s.npv_run_usd);
    fmt::print("cash            {:.0f} USD at the horizon\n", s.cash_usd);
    fmt::print("wrote           {}\n", out.string());
  }
  return 0;
}

// CLI11 answers `hybridsim foo` with "A subcommand is required"; name the word and the
// subcommands instead (exit 2). Options (`--version`) are left to CLI11.
bool refuse_unknown_subcommand(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return false;
  const std::string word = argv[1];
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name() == word) return false;
    names.push_back(sub->get_name());
  }
  std::cerr << "hybridsim: unknown subcommand '" << word << "'" << hs::config::did_you_mean(word, names)
            << "; valid: " << hs::config::join(names) << " (hybridsim --help)\n";
  return true;
}

int cmd_validate(const RunOptions& o) {
  auto doc = hs::config::Document::load_file(o.scenario);
  const hs::Scenario scenario = load(o, doc);
  fmt::print("{}: valid scenario '{}'\n", o.scenario, scenario.name);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // No HDF5 cleanup at exit: every file is closed explicitly, and HDF5 1.10's cleanup crashes
  // on a file whose writes failed (a full disk) and so cannot be closed.
  H5dont_atexit();
  CLI::App app{"hybridsim: a discrete-event simulator of a facility that mines bitcoin and trains AI "
               "models under one power budget"};
  app.set_version_flag("--version", std::string("hybridsim ") + hs::kVersion);
  app.require_subcommand(1);

  RunOptions opt;
  auto* run = app.add_subcommand("run", "run a scenario and write its time series to HDF5");
  run->add_option("scenario", opt.scenario, "scenario YAML file")->required();
  run->add_option("-o,--output", opt.output, "HDF5 file to write (default results/<scenario>.h5)");
  run->add_option("--set", opt.sets, kSetHelp);
  run->add_option("--unset", opt.unsets, kUnsetHelp);
  run->add_option("--seed", opt.seed, "override the scenario's seed");
  run->add_flag("-q,--quiet", opt.quiet, "print nothing on success");
  run->add_flag("--force", opt.force, "run even when the results are estimated not to fit in memory or on disk");

  auto* validate = app.add_subcommand("validate", "check a scenario without running it");
  validate->add_option("scenario", opt.scenario, "scenario YAML file")->required();
  validate->add_option("--set", opt.sets, kSetHelp);
  validate->add_option("--unset", opt.unsets, kUnsetHelp);
  validate->add_option("--seed", opt.seed, "override the scenario's seed");

  std::string family;
  bool markdown = false;
  auto* models = app.add_subcommand("models", "list every model and scenario section with its parameters");
  models->add_option("family", family,
                     "only these: a family (bitcoin, ai, power, dispatch, finance), a section (facility.halls[], "
                     "halls) or a model family (btc_price)");
  models->add_flag("--markdown", markdown, "print the scenario reference (docs/scenario_reference.md) as Markdown");

  std::string inspect_path;
  auto* inspect = app.add_subcommand("inspect", "describe an HDF5 result file");
  inspect->add_option("file", inspect_path, "HDF5 file written by hybridsim")->required()->check(CLI::ExistingFile);

  hs::output::install_signal_cleanup();
  hybridsim::tools::SweepCommandOptions sweep_opt;
  auto* sweep = hybridsim::tools::add_sweep_command(app, sweep_opt);
  hybridsim::tools::AnalyzeCommandOptions analyze_opt;
  auto* analyze = hybridsim::tools::add_analyze_command(app, analyze_opt);
  hybridsim::tools::MergeCommandOptions merge_opt;
  auto* merge = hybridsim::tools::add_merge_command(app, merge_opt);
  hybridsim::tools::ReportCommandOptions report_opt;
  auto* report = hybridsim::tools::add_report_command(app, report_opt);

  if (refuse_unknown_subcommand(app, argc, argv)) return kExitBadInput;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitBadInput;
  }

  try {
    if (*run) return cmd_run(opt);
    if (*validate) return cmd_validate(opt);
    if (*models)
      return hybridsim::tools::print_models(std::cout, std::cerr, family,
                                            markdown ? hybridsim::tools::ListingFormat::kMarkdown
                                                     : hybridsim::tools::ListingFormat::kText)
                 ? 0
                 : kExitBadInput;
    if (*inspect) return hybridsim::tools::inspect(std::cout, inspect_path);
    if (*sweep) return hybridsim::tools::run_sweep_command(sweep_opt);
    if (*analyze) return hybridsim::tools::run_analyze_command(analyze_opt);
    if (*merge) return hybridsim::tools::run_merge_command(merge_opt);
    if (*report) return hybridsim::tools::run_report_command(report_opt);
  } catch (const hs::config::ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "hybridsim: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return 0;
}
