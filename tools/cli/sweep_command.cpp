#include "tools/cli/sweep_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "sweep/sweep_plan.hpp"
#include "sweep/sweep_runner.hpp"

namespace hybridsim::tools {

CLI::App* add_sweep_command(CLI::App& app, SweepCommandOptions& o) {
  auto* sub = app.add_subcommand("sweep", "run many members of a scenario (a `sweep:` block) into one HDF5 file");
  sub->add_option("scenario", o.scenario, "scenario with a `sweep:` block, or a sweep file {base: ..., sweep: ...}")
      ->required();
  sub->add_option("--sweep", o.sweep_file, "take the `sweep:` block from this file instead");
  sub->add_option("-o,--output", o.output, "HDF5 file to write (default results/<scenario>.h5)");
  sub->add_option("-j,--jobs", o.jobs, "members run at once (worker threads; default 1)")->check(CLI::Range(1, 1024));
  sub->add_flag("--dry-run", o.dry_run, "check every member and print the member table; run nothing");
  sub->add_flag("--resume", o.resume, "finish an interrupted sweep: run only the members the file lacks");
  sub->add_flag("--force", o.force, "allow more members than the limit (100,000)");
  sub->add_option("--set", o.sets, "override a value of the base scenario: key.path=value (repeatable)");
  sub->add_option("--seed", o.seed, "override the base scenario's seed (members' seeds derive from it)");
  sub->add_flag("-q,--quiet", o.quiet, "no progress and no summary");
  return sub;
}

namespace {

void print_members(const sweep::SweepPlan& plan) {
  const auto& keys = plan.keys();
  std::vector<std::size_t> width;
  for (const auto& k : keys) width.push_back(k.key.size());
  for (const auto& m : plan.members())
    for (std::size_t k = 0; k < keys.size(); ++k) width[k] = std::max(width[k], m.text[k].size());
  std::string head = fmt::format("{:>6} {:>6} {:>4} {:>20}", "run", "point", "rep", "seed");
  // The last column is not padded: no trailing blanks.
  for (std::size_t k = 0; k < keys.size(); ++k) head += fmt::format("  {:<{}}", keys[k].key, k + 1 < keys.size() ? width[k] : 0);
  fmt::print("{}\n", head);
  for (const auto& m : plan.members()) {
    std::string line = fmt::format("{:>6} {:>6} {:>4} {:>20}", m.index, m.point, m.replication, m.seed);
    for (std::size_t k = 0; k < keys.size(); ++k) line += fmt::format("  {:<{}}", m.text[k], k + 1 < keys.size() ? width[k] : 0);
    fmt::print("{}\n", line);
  }
}

}  // namespace

int run_sweep_command(const SweepCommandOptions& o) {
  const auto source = sweep::read_sweep_source(o.scenario, o.sweep_file, o.sets, o.seed);
  const auto plan = sweep::SweepPlan::make(source, o.force);
  for (const auto& w : plan.base().warnings) fmt::print(stderr, "{}\n", w);
  const auto& spec = plan.spec();
  const std::int64_t points = plan.size() / spec.replications;
  const std::string what = fmt::format("sweep of '{}': {}, {} points x {} replications = {} members (hash {})",
                                       plan.base().name, sweep::method_name(spec.method), points, spec.replications,
                                       plan.size(), plan.hash());
  sweep::validate_members(plan, o.jobs);
  if (o.dry_run) {
    fmt::print("{}\n", what);
    print_members(plan);
    return 0;
  }
  std::filesystem::path out = o.output;
  if (out.empty()) {
    out = std::filesystem::path("results") / (std::filesystem::path(o.scenario).stem().string() + ".h5");
    std::filesystem::create_directories(out.parent_path());
  }
  if (out.has_parent_path() && !std::filesystem::is_directory(out.parent_path()))
    throw sim::config::ScenarioError(sim::config::Location{"-o " + out.string()},
                                     "the folder " + out.parent_path().string() + " does not exist");
  sweep::SweepOptions options;
  options.output = out;
  options.jobs = o.jobs;
  options.resume = o.resume;
  options.progress = o.quiet ? nullptr : stderr;
  options.terminal = isatty(STDERR_FILENO) != 0;
  // Test hooks (docs/sweeps.md): end abruptly after k commits; reopen the file more often.
  if (const char* hook = std::getenv("HYBRIDSIM_SWEEP_ABORT_AFTER")) options.abort_after = std::atoll(hook);
  if (const char* hook = std::getenv("HYBRIDSIM_SWEEP_CACHE_LIMIT"))
    options.cache_limit_bytes = static_cast<std::size_t>(std::atoll(hook));
  if (!o.quiet) fmt::print(stderr, "{}\n", what);
  const auto stats = sweep::run_sweep(plan, options);
  if (!o.quiet)
    fmt::print("wrote {}: {} members run, {} already there, {:.2f} s ({:.1f} members/s with -j {})\n", out.string(),
               stats.members, stats.skipped, stats.wall_s,
               stats.wall_s > 0 ? static_cast<double>(stats.members) / stats.wall_s : 0.0, o.jobs);
  return 0;
}

}  // namespace hybridsim::tools
