#pragma once
/// `hybridsim report FILE -o report.png|pdf`: a one-page summary of a run or a sweep, drawn by
/// the Python package (tools/python/hybridsim/report.py) with the interpreter the build found.
#include <string>

#include <CLI/CLI.hpp>

namespace hybridsim::tools {

struct ReportCommandOptions {
  std::string file;
  std::string output;
  std::string sensitivity;
};

/// Declares the `report` subcommand's options on `app`; returns the subcommand.
CLI::App* add_report_command(CLI::App& app, ReportCommandOptions& o);

/// Replaces the process with `python3 -m hybridsim.report FILE -o OUTPUT [--sensitivity S]`, the package's
/// folder put first on PYTHONPATH; its exit code is the command's. Returns only on failure
/// (exit 1, said on stderr).
int run_report_command(const ReportCommandOptions& o);

}  // namespace hybridsim::tools
