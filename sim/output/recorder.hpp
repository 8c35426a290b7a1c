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

/// Where a streaming Recorder sends what it records, as it goes (StreamWriter: to a file on
/// a thread of its own). Calls come from the simulating thread, in this order: begin once,
/// then any mix of series_block and table_rows.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  /// The layout: time units and every series (its info and second dimension) in file order,
  /// their data empty.
  virtual void begin(const RunDataset& layout) = 0;
  /// The next samples: `block.time_s` and, for each series of the layout in its order, the
  /// values of those stamps (row-major for 2-D series).
  virtual void series_block(RunDataset block) = 0;
  /// More rows of a table (the first call for a group creates it; later ones must have the
  /// same columns).
  virtual void table_rows(Table rows) = 0;
};

/// Appends the rows of `more` to `into` (same group, same columns in the same order and of
/// the same types, else std::invalid_argument).
void append_rows(Table& into, Table&& more);

class Recorder {
 public:
  /// Samples a streaming recorder buffers before it hands them to its sink.
  static constexpr std::size_t kSamplesPerBlock = 8192;
  /// Rows of a table parts hand over at a time (GpuFarm's job table).
  static constexpr std::size_t kTableRowsPerChunk = 65536;

  /// Streams to `sink` from now on instead of keeping everything for take(): every
  /// `samples_per_block` samples go to it, and every table as it is added. Call before the
  /// first sample; `sink` must outlive the recorder or its finish().
  void stream_to(RecordSink& sink, std::size_t samples_per_block = kSamplesPerBlock,
                 std::size_t table_rows_per_chunk = kTableRowsPerChunk);
  /// Rows a part should hand over at a time (kTableRowsPerChunk unless stream_to said).
  std::size_t table_rows_per_chunk() const { return table_rows_per_chunk_; }
  /// True once stream_to was called.
  bool streaming() const { return sink_ != nullptr; }
  /// Streaming: hands the samples still buffered to the sink. Call once, after the last
  /// sample and every table.
  void finish_stream();

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

  /// Makes room for `samples` samples in every column declared so far, when the recorder
  /// keeps them in memory (not streaming) and they fit in 256 MiB: the columns then never
  /// grow by reallocation during the run. A hint; sampling more still works.
  void reserve(std::size_t samples);
  /// Records every column at time `t_s` (seconds since the epoch).
  void sample(SimTime t_s);
  /// Values one sample adds (the time stamp, each 1-D column, each label of a 2-D one).
  std::size_t values_per_sample() const;
  /// The first 1-D stock or flow (or 2-D flow label) whose last sampled value is NaN or
  /// infinite, with that value; nullopt if all are finite (or nothing was sampled).
  std::optional<std::pair<std::string, double>> non_finite_in_last_sample() const;
  /// As above for the state now: evaluates every 1-D stock and reads every flow's rate and total.
  std::optional<std::pair<std::string, double>> non_finite_now() const;

  /// Adds a table to the output (job table, network events), or more rows to a table added
  /// before under the same group name.
  void add_table(Table table);

  /// True if `flow` is recorded as a 1-D flow (every ledger account must be).
  bool records(const Flow& flow) const {
    for (const auto& f : flows_)
      if (f.flow == &flow) return true;
    return false;
  }

  /// Samples taken so far (streamed ones included).
  std::size_t samples() const { return samples_; }
  /// Time of the last sample; -1 before the first.
  SimTime last_sample_s() const { return last_sample_s_; }
  /// Moves the columns out into a dataset, in declaration order (the recorder is empty
  /// afterwards). When streaming, the series hold nothing (their data went to the sink) and
  /// there are no tables.
  RunDataset take(std::string time_units);
  /// The units given to time (needed before the first block of a stream).
  void set_time_units(std::string units) { time_units_ = std::move(units); }

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

  // Throws std::logic_error once sampling has begun (every column has one value a sample).
  void check_not_sampling(const std::string& variable) const;
  // Sizes every column for at least `rows` samples (capacity_rows_).
  void grow_columns(std::size_t rows);
  // Moves the buffered samples out, series in declaration order (data empty if `layout`).
  RunDataset take_series(bool layout);
  void flush_block();

  std::string time_units_;
  std::size_t samples_ = 0;
  SimTime last_sample_s_ = -1;
  bool last_sample_finite_ = false;  // every value non_finite_in_last_sample() checks was finite
  RecordSink* sink_ = nullptr;
  bool begun_ = false;
  std::size_t samples_per_block_ = kSamplesPerBlock;
  std::size_t table_rows_per_chunk_ = kTableRowsPerChunk;
  std::vector<std::int64_t> time_s_;  // one stamp a buffered sample: its size is the row count
  std::size_t capacity_rows_ = 0;      // rows every column has room for (written by index)
  std::size_t reserved_samples_ = 0;   // in memory: rows reserve() asked for
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
