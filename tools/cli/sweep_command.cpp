#include "tools/cli/sweep_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <optional>

#if HYBRIDSIM_MPI
#include <mpi.h>
#endif

#include <fmt/format.h>

#include "models/catalogue.hpp"
#include "sim/sweep/mpi_sweep.hpp"
#include "sim/sweep/shards.hpp"
#include "sim/sweep/sweep_plan.hpp"
#include "sim/sweep/sweep_runner.hpp"

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
  sub->add_option("--shard", o.shard,
                  "run only shard i of N (1-based): the i-th of N contiguous ranges of the members, into a file of "
                  "its own; put the N files together with `hybridsim merge`");
  return sub;
}

CLI::App* add_merge_command(CLI::App& app, MergeCommandOptions& o) {
  auto* sub = app.add_subcommand("merge", "put the shard files of one sweep (sweep --shard i/N) into one file");
  sub->add_option("output", o.output, "HDF5 file to write")->required();
  sub->add_option("shards", o.shards, "the N shard files, in any order")->required();
  return sub;
}

int run_merge_command(const MergeCommandOptions& o) {
  std::vector<std::filesystem::path> shards(o.shards.begin(), o.shards.end());
  const auto members = sweep::merge_shards(o.output, shards);
  fmt::print("wrote {}: {} members from {} shards\n", o.output, members, shards.size());
  return 0;
}

namespace {

void print_members(const sweep::SweepPlan& plan, std::int64_t first, std::int64_t last) {
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
    if (m.index < first || m.index >= last) continue;
    std::string line = fmt::format("{:>6} {:>6} {:>4} {:>20}", m.index, m.point, m.replication, m.seed);
    for (std::size_t k = 0; k < keys.size(); ++k) line += fmt::format("  {:<{}}", m.text[k], k + 1 < keys.size() ? width[k] : 0);
    fmt::print("{}\n", line);
  }
}

/// The plan and what the command line makes of it.
struct Prepared {
  sweep::SweepPlan plan;
  std::string what;  ///< the one-line description
  std::optional<sweep::Shard> shard;
  std::pair<std::int64_t, std::int64_t> range;
};

Prepared prepare(const SweepCommandOptions& o) {
  const auto source = sweep::read_sweep_source(o.scenario, o.sweep_file, o.sets, o.seed);
  Prepared p{sweep::SweepPlan::make(source, models::plugins(), o.force), {}, std::nullopt, {}};
  const auto& plan = p.plan;
  for (const auto& w : plan.base().warnings) fmt::print(stderr, "{}\n", w);
  const auto& spec = plan.spec();
  const std::int64_t points = plan.size() / spec.replications;
  p.what = fmt::format("sweep of '{}': {}, {} points x {} replications = {} members (hash {})", plan.base().name,
                       sweep::method_name(spec.method), points, spec.replications, plan.size(), plan.hash());
  p.range = {0, plan.size()};
  if (!o.shard.empty()) {
    p.shard = sweep::parse_shard(o.shard, plan.size());
    p.range = sweep::shard_range(plan.size(), *p.shard);
  }
  return p;
}

/// Checks every member and prints the member table for --dry-run (then returns false).
bool check_members(const SweepCommandOptions& o, const Prepared& p) {
  sweep::validate_members(p.plan, o.jobs);
  if (!o.dry_run) return true;
  fmt::print("{}\n", p.what);
  if (p.shard)
    fmt::print("shard {}/{}: members {}..{} ({} of {})\n", p.shard->index, p.shard->count, p.range.first,
               p.range.second - 1, p.range.second - p.range.first, p.plan.size());
  print_members(p.plan, p.range.first, p.range.second);
  return false;
}

sweep::SweepOptions sweep_options(const SweepCommandOptions& o, const Prepared& p, bool check_output) {
  std::filesystem::path out = o.output;
  if (out.empty()) {
    std::string name = std::filesystem::path(o.scenario).stem().string();
    if (p.shard) name += fmt::format(".shard{}of{}", p.shard->index, p.shard->count);
    out = std::filesystem::path("results") / (name + ".h5");
    if (check_output) std::filesystem::create_directories(out.parent_path());
  }
  if (check_output && out.has_parent_path() && !std::filesystem::is_directory(out.parent_path()))
    throw sim::config::ScenarioError(sim::config::Location{"-o " + out.string()},
                                     "the folder " + out.parent_path().string() + " does not exist");
  sweep::SweepOptions options;
  options.output = out;
  options.jobs = o.jobs;
  options.resume = o.resume;
  options.first = p.range.first;
  options.last = p.range.second;
  if (p.shard) {
    options.shard_index = p.shard->index;
    options.shard_count = p.shard->count;
  }
  options.progress = o.quiet ? nullptr : stderr;
  options.terminal = isatty(STDERR_FILENO) != 0;
  // Test hooks (docs/sweeps.md): end abruptly after k commits; reopen the file more often.
  if (const char* hook = std::getenv("HYBRIDSIM_SWEEP_ABORT_AFTER")) options.abort_after = std::atoll(hook);
  if (const char* hook = std::getenv("HYBRIDSIM_SWEEP_CACHE_LIMIT"))
    options.cache_limit_bytes = static_cast<std::size_t>(std::atoll(hook));
  return options;
}

void print_done(const SweepCommandOptions& o, const sweep::SweepOptions& options, const sweep::SweepStats& stats,
                const std::string& workers) {
  if (o.quiet) return;
  fmt::print("wrote {}: {} members run, {} already there, {:.2f} s ({:.1f} members/s with {})\n",
             options.output.string(), stats.members, stats.skipped, stats.wall_s,
             stats.wall_s > 0 ? static_cast<double>(stats.members) / stats.wall_s : 0.0, workers);
}

#if HYBRIDSIM_MPI
constexpr int kExitBadInput = 2;

/// After a step every rank took: if one failed, the lowest failing rank prints its error
/// (so it is printed once) and every rank gets the same exit code.
int agree(std::exception_ptr error, int rank) {
  const int who = sweep::mpi::first_failure(!error);
  if (who < 0) return 0;
  int code = 0;
  std::string text;
  if (error) {
    try {
      std::rethrow_exception(error);
    } catch (const sim::config::ScenarioError& e) {
      code = kExitBadInput;
      text = e.what();
    } catch (const std::exception& e) {
      code = 1;
      text = std::string("hybridsim: internal error: ") + e.what();
    }
  }
  if (who == rank) fmt::print(stderr, "{}{}\n", rank == 0 ? "" : fmt::format("rank {}: ", rank), text);
  int all = 0;
  MPI_Allreduce(&code, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return all;
}

int run_sweep_command_mpi(const SweepCommandOptions& o) {
  sweep::mpi::Session session;
  const int rank = session.rank();
  std::optional<Prepared> p;
  std::exception_ptr error;
  try {
    p.emplace(prepare(o));
  } catch (...) {
    error = std::current_exception();
  }
  // Every rank reads the files itself: make sure they all see the same sweep.
  const std::string hash = sweep::mpi::broadcast(rank == 0 && p ? p->plan.hash() : "");
  if (p && !hash.empty() && p->plan.hash() != hash)
    error = std::make_exception_ptr(sim::config::ScenarioError(
        sim::config::Location{o.scenario}, fmt::format("this rank resolves another sweep (hash {}) than rank 0 ({}); "
                                                       "every rank must see the same scenario files",
                                                       p->plan.hash(), hash)));
  if (const int code = agree(error, rank)) return code;

  sweep::SweepOptions options;
  try {
    if (rank == 0) (void)check_members(o, *p);  // prints the member table for --dry-run
    options = sweep_options(o, *p, rank == 0);
  } catch (...) {
    error = std::current_exception();
  }
  if (const int code = agree(error, rank)) return code;
  if (!o.dry_run && rank == 0 && !o.quiet) fmt::print(stderr, "{} on {} ranks\n", p->what, session.size());
  if (o.dry_run) return 0;
  if (rank != 0) options.progress = nullptr;
  try {
    const auto stats = sweep::mpi::run_sweep(p->plan, options, session);
    if (rank == 0) print_done(o, options, stats, fmt::format("{} ranks x -j {}", session.size(), o.jobs));
  } catch (const sweep::mpi::Stopped& stopped) {
    return stopped.code;
  }
  return 0;
}
#endif

}  // namespace

int run_sweep_command(const SweepCommandOptions& o) {
  if (sweep::mpi::ranks_from_environment() > 1) {
#if HYBRIDSIM_MPI
    return run_sweep_command_mpi(o);
#else
    // K copies of a build without MPI would each run the whole sweep into the same file.
    if (sweep::mpi::rank_from_environment() == 0)
      fmt::print(stderr,
                 "hybridsim sweep: started by mpirun with {} ranks, but this hybridsim was built without MPI "
                 "(install libopenmpi-dev and rebuild); run it without mpirun, or split the sweep with --shard i/N\n",
                 sweep::mpi::ranks_from_environment());
    return 2;
#endif
  }
  const Prepared p = prepare(o);
  if (!check_members(o, p)) return 0;
  const auto options = sweep_options(o, p, true);
  if (!o.quiet) fmt::print(stderr, "{}\n", p.what);
  const auto stats = sweep::run_sweep(p.plan, options);
  print_done(o, options, stats, fmt::format("-j {}", o.jobs));
  return 0;
}

}  // namespace hybridsim::tools
