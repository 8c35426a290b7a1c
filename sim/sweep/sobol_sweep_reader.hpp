#pragma once
/// Reads what a sensitivity analysis needs from a finished `sobol` sweep file (sweep_file.hpp):
/// the swept keys in design order, where each member sits in Saltelli's design
/// (`params/sobol_block`, `params/sobol_sample`, `params/replication`), and every
/// `summary/<metric>`.
#include <filesystem>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "sim/sweep/sensitivity.hpp"

namespace hybridsim::sweep {

struct SobolSweep {
  std::string title;  ///< the file's `title` ("sweep of <scenario>")
  struct Parameter {
    std::string key;    ///< key path, as written in the sweep block
    std::string units;
  };
  std::vector<Parameter> parameters;  ///< in design order: parameter i is block i+1
  SaltelliLayout layout;
  struct Metric {
    std::string key;
    std::string units;
    std::string description;
    Eigen::VectorXd values;  ///< per run
  };
  std::vector<Metric> metrics;  ///< in the file's order
};

/// Throws config::ScenarioError (`<path>: what is wrong; what is accepted`) when the file is
/// not a hybridsim sweep, was not made with the sobol design, or lacks members (it says how
/// many and suggests --resume).
SobolSweep read_sobol_sweep(const std::filesystem::path& path);

}  // namespace hybridsim::sweep
