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
};

/// Declares the `sweep` subcommand's options on `app`; returns the subcommand.
CLI::App* add_sweep_command(CLI::App& app, SweepCommandOptions& o);

/// Runs it. Throws ScenarioError for bad input (exit 2).
int run_sweep_command(const SweepCommandOptions& o);

}  // namespace hybridsim::tools
