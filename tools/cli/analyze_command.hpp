#pragma once
/// `hybridsim analyze`: first- and total-order Sobol' indices of every summary metric of a
/// `sobol` sweep (sim/sweep/sensitivity.hpp), printed as a table and optionally written to CSV
/// and to an HDF5 file with a `sensitivity` group. The sweep file is only read.
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

namespace hybridsim::tools {

struct AnalyzeCommandOptions {
  std::string sweep;   ///< the sweep's HDF5 file
  std::string output;  ///< -o: HDF5 file to write (empty: none)
  std::string csv;     ///< --csv: CSV file to write (empty: none)
  int resamples = 1000;
  std::uint64_t seed = 0;  ///< set from BootstrapOptions::kDefaultSeed by add_analyze_command
  bool quiet = false;
};

/// Declares the `analyze` subcommand's options on `app`; returns the subcommand.
CLI::App* add_analyze_command(CLI::App& app, AnalyzeCommandOptions& o);

/// Runs it. Throws ScenarioError for bad input (exit 2); writes nothing then.
int run_analyze_command(const AnalyzeCommandOptions& o);

}  // namespace hybridsim::tools
