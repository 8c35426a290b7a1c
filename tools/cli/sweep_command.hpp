#pragma once
/// `hybridsim sweep`: options and the command.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace hybridsim::tools {

struct SweepCommandOptions {
  std::string scenario;
  std::optional<std::string> sweep_file;
  std::string output;
  int jobs = 1;
  bool dry_run = false;
  bool resume = false;
  bool force = false;
  bool quiet = false;
  std::vector<std::string> sets;
  std::optional<std::uint64_t> seed;
  std::string shard;  ///< --shard i/N (empty: every member)
};

struct MergeCommandOptions {
  std::string output;
  std::vector<std::string> shards;
};

/// Declares the `sweep` subcommand's options on `app`; returns the subcommand.
CLI::App* add_sweep_command(CLI::App& app, SweepCommandOptions& o);

/// Runs it. Throws ScenarioError for bad input (exit 2).
int run_sweep_command(const SweepCommandOptions& o);

/// `hybridsim merge OUT SHARD...`: declares the subcommand; returns it.
CLI::App* add_merge_command(CLI::App& app, MergeCommandOptions& o);
/// Runs it. Throws ScenarioError for shards that do not fit together (exit 2).
int run_merge_command(const MergeCommandOptions& o);

}  // namespace hybridsim::tools
