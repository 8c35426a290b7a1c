#pragma once
/// Samples the simulation's state at a fixed interval into columns, and collects tables.
///
/// Time stamps are the ends of the recording intervals: a stock (price, power, height) is
/// its value at that instant; a flow (energy cost, revenue) is the amount accrued over the
/// interval that ends there (CF `cell_methods: "time: sum"`), so the sum of a flow's column
/// equals its total over the run. When the horizon is not a whole number of intervals, the
/// run ends with one shorter interval so that nothing accrued goes unrecorded.
#include <cstdint>
#include <functional>
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

  /// Records every column at time `t_s` (seconds since the epoch).
  void sample(SimTime t_s);

  /// Adds a table to the output (job table, network events).
  void add_table(Table table) { tables_.push_back(std::move(table)); }

  std::size_t samples() const { return time_s_.size(); }
  /// Time of the last sample; -1 before the first.
  SimTime last_sample_s() const { return time_s_.empty() ? -1 : time_s_.back(); }
  /// Moves the columns out into a dataset (the recorder is empty afterwards).
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
  std::vector<std::int64_t> time_s_;
  std::vector<Stock> stocks_;
  std::vector<IntStock> int_stocks_;
  std::vector<FlowColumn> flows_;
  std::vector<Table> tables_;
  std::vector<std::string> order_;  // declaration order of the series, for the file
};

}  // namespace hybridsim::sim::output
