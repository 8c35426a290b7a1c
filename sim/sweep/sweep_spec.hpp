#pragma once
/// The `sweep:` block as written: how members are designed, over which keys, how often
/// each point is replicated. Values stay YAML text here; SweepPlan reads them against each
/// key's declared type once the base scenario is loaded.
///
/// ```yaml
/// sweep:
///   method: grid              # grid (default) | zip | random | lhs | sobol
///   replications: 3           # members per design point, each with its own seed (default 1)
///   samples: 64               # random, lhs: points; sobol: N, giving N·(d+2) points
///   seed: 7                   # seed of the random/lhs design (default: the scenario's seed)
///   common_random_numbers: false  # true: replication r of every point gets the same seed
///   params:
///     world.btc_price.vol_per_year: [0.4, 0.6, 0.8]              # values
///     finance.discount_rate_per_year: {from: 0.05, to: 0.15, steps: 3}  # evenly spaced values
///     world.btc_price.drift_per_year: {min: 0.0, max: 0.3}       # a range (random, lhs, sobol)
/// ```
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/config/document.hpp"

namespace hybridsim::sweep {

enum class SweepMethod { kGrid, kZip, kRandom, kLhs, kSobol };

/// The YAML name of a method ("grid", ...).
const char* method_name(SweepMethod method);

/// One swept key and what it takes.
struct SweepAxis {
  enum class Kind {
    kValues,  ///< an explicit list of values
    kSteps,   ///< `steps` evenly spaced values from `from` to `to` (inclusive)
    kRange,   ///< a continuous range [min, max]: sampled by random, lhs and sobol
  };
  std::string key;  ///< as written, e.g. "facility.asic_cohorts[0].count"
  Kind kind = Kind::kValues;
  std::vector<std::string> values;  ///< kValues: each value's YAML text
  std::string low, high;            ///< kSteps: from/to; kRange: min/max (YAML text)
  std::int64_t steps = 0;           ///< kSteps
  sim::config::Location where;      ///< the key in its file
  sim::config::Location value_where;  ///< its value
};

struct SweepSpec {
  SweepMethod method = SweepMethod::kGrid;
  std::int64_t replications = 1;
  std::int64_t samples = 0;  ///< random, lhs, sobol
  std::optional<std::uint64_t> design_seed;
  bool common_random_numbers = false;
  std::vector<SweepAxis> axes;  ///< in the order written
  std::string canonical_yaml;   ///< the block re-emitted (for the file and the sweep's hash)
  sim::config::Location where;  ///< the `sweep` block
};

/// Reads the `sweep:` map `block` of `doc`. Throws ScenarioError (with the file position)
/// for unknown keys, a missing or empty `params`, a bad method, or malformed values.
SweepSpec read_sweep_spec(const sim::config::Document& doc, const YAML::Node& block);

}  // namespace hybridsim::sweep
