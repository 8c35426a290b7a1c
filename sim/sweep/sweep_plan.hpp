#pragma once
/// A sweep resolved against its base scenario: every member's index, seed and values, each
/// value checked against its key's declared type before anything runs.
///
/// Member `index = point · replications + replication`: design points in design order, the
/// replications of a point next to each other. A grid varies its last key fastest. Member
/// seeds are `member_seed(base seed, index)` (seeds.hpp), or `member_seed(base seed,
/// replication)` with `common_random_numbers: true`.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/document.hpp"
#include "sim/run/scenario.hpp"
#include "sim/sweep/sweep_spec.hpp"

namespace hybridsim::sweep {

/// Sweeps above this many members are refused unless forced (`--force`): a typo in `steps`
/// or `samples` should not silently queue a week of runs.
inline constexpr std::int64_t kMaxMembers = 100000;

/// Where the base scenario and the sweep block come from.
struct SweepSource {
  std::string scenario_text;    ///< the base scenario's YAML (its `sweep:` block is ignored)
  std::string scenario_origin;  ///< its path, for messages and relative paths
  std::vector<std::string> sets;  ///< `--set` overrides applied to the base
  std::optional<std::uint64_t> seed;  ///< `--seed`: the base seed
  sim::config::Document sweep_doc;    ///< the document holding the block
  YAML::Node sweep_block;
};

/// Reads `path`: a scenario with a `sweep:` block, or a sweep file `{base: SCENARIO, sweep:
/// {...}}` whose base path is relative to the sweep file. `sweep_path` (`--sweep`) gives
/// the block in a file of its own instead. Throws ScenarioError when there is no block, or
/// two.
SweepSource read_sweep_source(const std::string& path, const std::optional<std::string>& sweep_path,
                              std::vector<std::string> sets, std::optional<std::uint64_t> seed);

/// A swept key as the scenario declares it.
struct SweptKey {
  std::string key;   ///< as written in the sweep block
  std::string path;  ///< dotted, list indices as segments: how declared parameters are matched
  sim::config::ParamType type = sim::config::ParamType::kString;
  std::string unit;  ///< the declared unit; "s" for durations; CF units for dates
  std::string description;
  bool numeric() const { return type != sim::config::ParamType::kString; }
};

struct Member {
  std::int64_t index = 0;
  std::int64_t point = 0;
  std::int64_t replication = 0;
  std::uint64_t seed = 0;
  std::vector<std::string> text;  ///< per key: the YAML value set into the scenario
  std::vector<double> number;     ///< per key: its number (durations in s, dates in Unix s); NaN for strings
  int sobol_block = -1;           ///< sobol: 0 = A, i = A_B^i, d+1 = B
  std::int64_t sobol_sample = -1; ///< sobol: the sample j
};

class SweepPlan {
 public:
  /// Loads the base scenario, checks every swept key exists (else lists near names) and every
  /// value fits its key's type, and lays out the members. Throws ScenarioError; a member count
  /// above kMaxMembers unless `force`. `plugins` load the base and every member (the caller's:
  /// models::plugins(), so the sweep driver stays model-free); they must outlive the plan.
  static SweepPlan make(const SweepSource& source, const sim::Plugins& plugins, bool force);

  const SweepSpec& spec() const { return spec_; }
  const std::vector<SweptKey>& keys() const { return keys_; }
  const std::vector<Member>& members() const { return members_; }
  std::int64_t size() const { return static_cast<std::int64_t>(members_.size()); }
  const sim::Scenario& base() const { return base_; }
  /// FNV-1a 64 of the resolved base scenario and the canonical sweep block, as 16 hex digits.
  const std::string& hash() const { return hash_; }

  /// The member's scenario document: the base with its `--set`s, then the member's values
  /// and seed.
  sim::config::Document member_document(const Member& m) const;
  /// The member's validated scenario. A ScenarioError names the member and its values; a
  /// member whose time axis (start, horizon, record_every) differs from the base's is refused
  /// (every member shares the file's `time`).
  sim::Scenario load_member(const Member& m) const;

 private:
  std::string scenario_text_, scenario_origin_;
  std::vector<std::string> sets_;
  const sim::Plugins* plugins_ = nullptr;
  SweepSpec spec_;
  std::vector<SweptKey> keys_;
  std::vector<Member> members_;
  sim::Scenario base_;
  std::string hash_;
};

/// Applies one member setting to a document. The one place a sweep writes into a scenario:
/// `Document::set("key=value")` with the key as written (the canonical spelling, e.g.
/// `facility.asic_cohorts[0].count`) and the value as YAML.
void apply_setting(sim::config::Document& doc, const std::string& path, const std::string& value_yaml);

/// Key path spelling shared with Document::set: "a.b[0].c" → "a.b.0.c".
std::string dotted_path(const std::string& key);

}  // namespace hybridsim::sweep
