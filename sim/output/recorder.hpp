#pragma once
/// Samples the simulation's state at a fixed interval into columns, and collects tables.
///
/// Time stamps are the ends of the recording intervals: a stock (price, power, height) is
/// its value at that instant; a flow (energy cost, revenue) is the amount accrued over the
/// interval that ends there (CF `cell_methods: "time: sum"`), so the sum of a flow's column
/// equals its total over the run. When the horizon is not a whole number of intervals, the
/// run ends with one shorter interval so that nothing accrued goes unrecorded.
///
/// A series may also run over a second, labelled dimension (time, hall) or (time, cohort):
/// one variable with a row of values per time stamp instead of one column per label.
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "sim/core/ledger.hpp"
#include "sim/output/dataset.hpp"

namespace hybridsim::sim::output {

class Recorder {
 public:
  /// A value sampled at each time stamp.
  void stock(VariableInfo info, std::function<double()> sample);
  /// An integer value sampled at each time stamp (block height, counts).
  void stock_int(VariableInfo info, std::function<std::int64_t()> sample);
  /// The amount of `flow` accrued over each recording interval.
  void flow(VariableInfo info, const Flow& flow);

  /// A row of values over dimension `dimension` (labelled `labels`, in that order) sampled
  /// at each time stamp: `sample` fills the row, one element per label. Elements it leaves
  /// alone read NaN, so a forgotten label shows up as missing rather than as a stale value.
  /// Throws std::invalid_argument (a std::logic_error) if `dimension` was declared before
  /// with other labels.
  void stock_2d(VariableInfo info, std::string dimension, std::vector<std::string> labels,
                std::function<void(std::span<double>)> sample);
  /// As stock_2d, for integers (machines running by cohort). Elements `sample` leaves
  /// alone read 0.
  void stock_int_2d(VariableInfo info, std::string dimension, std::vector<std::string> labels,
                    std::function<void(std::span<std::int64_t>)> sample);
  /// The amounts of `flows[i]` (the flow of label i) accrued over each recording interval,
  /// as a row over `dimension`; cell_methods defaults to "time: sum" as for flow(). Throws
  /// std::invalid_argument if `flows` and `labels` differ in length, a flow is null, or
  /// `dimension` was declared before with other labels.
  void flow_2d(VariableInfo info, std::string dimension, std::vector<std::string> labels,
               std::vector<const Flow*> flows);

  /// Records every column at time `t_s` (seconds since the epoch).
  void sample(SimTime t_s);
  /// Values one sample adds (the time stamp, each 1-D column, each label of a 2-D one).
  std::size_t values_per_sample() const;
  /// The first 1-D stock or flow (or 2-D flow label) whose last sampled value is NaN or
  /// infinite, with that value; nullopt if all are finite (or nothing was sampled).
  std::optional<std::pair<std::string, double>> non_finite_in_last_sample() const;
  /// As above for the state now: evaluates every 1-D stock and reads every flow's rate and total.
  std::optional<std::pair<std::string, double>> non_finite_now() const;

  /// Adds a table to the output (job table, network events).
  void add_table(Table table) { tables_.push_back(std::move(table)); }

  /// True if `flow` is recorded as a 1-D flow (every ledger account must be).
  bool records(const Flow& flow) const {
    for (const auto& f : flows_)
      if (f.flow == &flow) return true;
    return false;
  }

  std::size_t samples() const { return time_s_.size(); }
  /// Time of the last sample; -1 before the first.
  SimTime last_sample_s() const { return time_s_.empty() ? -1 : time_s_.back(); }
  /// Moves the columns out into a dataset, in declaration order (the recorder is empty
  /// afterwards).
  RunDataset take(std::string time_units);

 private:
  struct Stock {
    VariableInfo info;
    std::function<double()> sample;
    std::vector<double> values;
  };
  struct IntStock {
    VariableInfo info;
    std::function<std::int64_t()> sample;
    std::vector<std::int64_t> values;
  };
  struct FlowColumn {
    VariableInfo info;
    const Flow* flow;
    double last_total = 0.0;
    std::vector<double> values;
  };
  struct Stock2d {
    VariableInfo info;
    Dimension second;
    std::function<void(std::span<double>)> sample;
    std::vector<double> values;  // row-major (time, label)
  };
  struct IntStock2d {
    VariableInfo info;
    Dimension second;
    std::function<void(std::span<std::int64_t>)> sample;
    std::vector<std::int64_t> values;  // row-major (time, label)
  };
  struct Flow2d {
    VariableInfo info;
    Dimension second;
    std::vector<const Flow*> flows;
    std::vector<double> last_totals;
    std::vector<double> values;  // row-major (time, label)
  };
  enum class Kind { stock, int_stock, flow, stock_2d, int_stock_2d, flow_2d };
  struct Declared {
    Kind kind;
    std::size_t index;  // into the vector of that kind
  };

  // Returns the dimension, after checking it against earlier declarations of its name.
  Dimension declare_dimension(const std::string& variable, std::string name,
                              std::vector<std::string> labels);

  std::vector<std::int64_t> time_s_;
  std::vector<Stock> stocks_;
  std::vector<IntStock> int_stocks_;
  std::vector<FlowColumn> flows_;
  std::vector<Stock2d> stocks_2d_;
  std::vector<IntStock2d> int_stocks_2d_;
  std::vector<Flow2d> flows_2d_;
  std::map<std::string, std::vector<std::string>> dimensions_;  // name -> labels
  std::vector<Table> tables_;
  std::vector<Declared> order_;  // declaration order of the series, for the file
};

}  // namespace hybridsim::sim::output
