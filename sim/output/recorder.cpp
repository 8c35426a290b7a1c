#include "sim/output/recorder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <stdexcept>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace hybridsim::sim::output {

void Recorder::check_not_sampling(const std::string& variable) const {
  if (samples_ > 0) throw std::logic_error("Recorder: series '" + variable + "' declared after the first sample");
}

void Recorder::stock(VariableInfo info, std::function<double()> sample) {
  check_not_sampling(info.name);
  order_.push_back({Kind::stock, stocks_.size()});
  stocks_.push_back(Stock{std::move(info), std::move(sample), {}});
}

void Recorder::stock_int(VariableInfo info, std::function<std::int64_t()> sample) {
  check_not_sampling(info.name);
  order_.push_back({Kind::int_stock, int_stocks_.size()});
  int_stocks_.push_back(IntStock{std::move(info), std::move(sample), {}});
}

void Recorder::flow(VariableInfo info, const Flow& flow) {
  check_not_sampling(info.name);
  if (info.cell_methods.empty()) info.cell_methods = "time: sum";
  // A ledger account carries its name and direction into the file (the cash check needs both).
  if (!flow.account.empty()) {
    info.account = flow.account;
    info.cash_sign = flow.cash_sign;
    info.account_kind = kind_name(flow.kind);
  }
  order_.push_back({Kind::flow, flows_.size()});
  flows_.push_back(FlowColumn{std::move(info), &flow, flow.value(), {}});
}

Dimension Recorder::declare_dimension(const std::string& variable, std::string name,
                                      std::vector<std::string> labels) {
  // The file holds one coordinate per dimension, so every variable on it must agree on
  // its labels; catching a mismatch here names the variable that disagrees.
  const auto [known, first] = dimensions_.emplace(name, labels);
  if (!first && known->second != labels) {
    throw std::invalid_argument("variable '" + variable + "': dimension '" + name +
                                "' was declared before with other labels");
  }
  return Dimension{std::move(name), std::move(labels)};
}

void Recorder::stock_2d(VariableInfo info, std::string dimension, std::vector<std::string> labels,
                        std::function<void(std::span<double>)> sample) {
  check_not_sampling(info.name);
  auto second = declare_dimension(info.name, std::move(dimension), std::move(labels));
  order_.push_back({Kind::stock_2d, stocks_2d_.size()});
  stocks_2d_.push_back(Stock2d{std::move(info), std::move(second), std::move(sample), {}});
}

void Recorder::stock_int_2d(VariableInfo info, std::string dimension,
                            std::vector<std::string> labels,
                            std::function<void(std::span<std::int64_t>)> sample) {
  check_not_sampling(info.name);
  auto second = declare_dimension(info.name, std::move(dimension), std::move(labels));
  order_.push_back({Kind::int_stock_2d, int_stocks_2d_.size()});
  int_stocks_2d_.push_back(
      IntStock2d{std::move(info), std::move(second), std::move(sample), {}});
}

void Recorder::flow_2d(VariableInfo info, std::string dimension, std::vector<std::string> labels,
                       std::vector<const Flow*> flows) {
  check_not_sampling(info.name);
  if (flows.size() != labels.size()) {
    throw std::invalid_argument("variable '" + info.name + "': " + std::to_string(flows.size()) +
                                " flows for " + std::to_string(labels.size()) + " labels");
  }
  std::vector<double> last_totals;
  last_totals.reserve(flows.size());
  for (const Flow* f : flows) {
    if (f == nullptr) throw std::invalid_argument("variable '" + info.name + "': null flow");
    last_totals.push_back(f->value());
  }
  for (const Flow* f : flows)
    if (!f->account.empty())
      throw std::invalid_argument("variable '" + info.name + "': a ledger account is recorded as a 1-D flow");
  if (info.cell_methods.empty()) info.cell_methods = "time: sum";
  auto second = declare_dimension(info.name, std::move(dimension), std::move(labels));
  order_.push_back({Kind::flow_2d, flows_2d_.size()});
  flows_2d_.push_back(Flow2d{std::move(info), std::move(second), std::move(flows),
                             std::move(last_totals), {}});
}

namespace {

// Resizes `v` to `n` elements, first asking the kernel to map the new pages in one call
// (Linux's MADV_POPULATE_WRITE) instead of one page fault at a time as resize() zeroes them:
// a 10-year hourly run keeps about 30 MB of columns in memory, and on a virtual machine the
// faults cost more than the simulation's sampling (measured: 15 ms against 10 ms for 29 MB).
// Elsewhere, or if the kernel declines, resize() faults the pages in as usual.
template <typename T>
void resize_prefaulted(std::vector<T>& v, std::size_t n) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  if (n > v.capacity()) {
    v.reserve(n);
    static const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    auto first = reinterpret_cast<std::uintptr_t>(v.data() + v.size());
    auto last = reinterpret_cast<std::uintptr_t>(v.data() + n);
    first = (first + page - 1) / page * page;
    last = last / page * page;
    if (last > first) (void)madvise(reinterpret_cast<void*>(first), last - first, MADV_POPULATE_WRITE);
  }
#endif
  v.resize(n);
}

}  // namespace

void Recorder::grow_columns(std::size_t rows) {
  // Streaming: one block's room. In memory: all that reserve() asked for at once (measured
  // faster than growing a block at a time); past it, doubling (amortised O(1) a sample).
  std::size_t capacity = samples_per_block_;
  if (!sink_) capacity = rows <= reserved_samples_ ? reserved_samples_ : std::max(2 * capacity_rows_, samples_per_block_);
  capacity = std::max(capacity, rows);
  for (auto& s : stocks_) resize_prefaulted(s.values, capacity);
  for (auto& s : int_stocks_) resize_prefaulted(s.values, capacity);
  for (auto& f : flows_) resize_prefaulted(f.values, capacity);
  for (auto& s : stocks_2d_) resize_prefaulted(s.values, capacity * s.second.labels.size());
  for (auto& s : int_stocks_2d_) resize_prefaulted(s.values, capacity * s.second.labels.size());
  for (auto& f : flows_2d_) resize_prefaulted(f.values, capacity * f.flows.size());
  capacity_rows_ = capacity;
}

void Recorder::sample(SimTime t_s) {
  if (sink_ && time_s_.size() >= samples_per_block_) flush_block();
  // The columns are sized ahead (grow_columns) and written by index: no capacity check per
  // value. `r` is the row this sample fills in every column (time_s_ holds one stamp a row).
  const std::size_t r = time_s_.size();
  if (r >= capacity_rows_) grow_columns(r + 1);
  ++samples_;
  last_sample_s_ = t_s;
  time_s_.push_back(t_s);
  // x·0 is 0 for every finite x and NaN otherwise: `poison` stays 0 exactly while every value
  // non_finite_in_last_sample() looks at is finite, so that check costs nothing in the
  // common case (the build does not use -ffast-math, which would fold it away).
  double poison = 0.0;
  for (auto& s : stocks_) {
    const double v = s.sample();
    s.values[r] = v;
    poison += v * 0.0;
  }
  for (auto& s : int_stocks_) s.values[r] = s.sample();
  for (auto& f : flows_) {
    const double total = f.flow->value();
    const double v = total - f.last_total;
    f.values[r] = v;
    poison += v * 0.0;
    f.last_total = total;
  }
  // A 2-D element the sampler leaves alone reads NaN (doubles) or 0 (integers).
  for (auto& s : stocks_2d_) {
    const std::size_t width = s.second.labels.size();
    double* row = s.values.data() + r * width;
    std::fill_n(row, width, std::numeric_limits<double>::quiet_NaN());
    s.sample(std::span<double>(row, width));
  }
  for (auto& s : int_stocks_2d_) {
    const std::size_t width = s.second.labels.size();
    std::int64_t* row = s.values.data() + r * width;
    std::fill_n(row, width, std::int64_t{0});
    s.sample(std::span<std::int64_t>(row, width));
  }
  for (auto& f : flows_2d_) {
    double* row = f.values.data() + r * f.flows.size();
    for (std::size_t i = 0; i < f.flows.size(); ++i) {
      const double total = f.flows[i]->value();
      const double v = total - f.last_totals[i];
      row[i] = v;
      poison += v * 0.0;
      f.last_totals[i] = total;
    }
  }
  last_sample_finite_ = poison == 0.0;
}

void Recorder::reserve(std::size_t samples) {
  if (sink_ || samples == 0) return;  // a stream's blocks have a fixed size already
  constexpr std::size_t kMaxBytes = std::size_t{256} << 20;
  if (samples > kMaxBytes / 8 / std::max<std::size_t>(1, values_per_sample())) return;
  time_s_.reserve(samples);
  reserved_samples_ = samples;
}

std::size_t Recorder::values_per_sample() const {
  std::size_t n = 1 + stocks_.size() + int_stocks_.size() + flows_.size();
  for (const auto& s : stocks_2d_) n += s.second.labels.size();
  for (const auto& s : int_stocks_2d_) n += s.second.labels.size();
  for (const auto& f : flows_2d_) n += f.flows.size();
  return n;
}

std::optional<std::pair<std::string, double>> Recorder::non_finite_in_last_sample() const {
  if (time_s_.empty() || last_sample_finite_) return std::nullopt;
  const std::size_t r = time_s_.size() - 1;
  for (const auto& s : stocks_)
    if (!std::isfinite(s.values[r])) return std::pair{s.info.name, s.values[r]};
  for (const auto& f : flows_)
    if (!std::isfinite(f.values[r])) return std::pair{f.info.name, f.values[r]};
  for (const auto& f : flows_2d_)
    for (std::size_t i = 0; i < f.flows.size(); ++i) {
      const double v = f.values[r * f.flows.size() + i];
      if (!std::isfinite(v)) return std::pair{f.info.name + "[" + f.second.labels[i] + "]", v};
    }
  return std::nullopt;
}

std::optional<std::pair<std::string, double>> Recorder::non_finite_now() const {
  for (const auto& s : stocks_) {
    const double v = s.sample();
    if (!std::isfinite(v)) return std::pair{s.info.name, v};
  }
  for (const auto& f : flows_)
    if (!std::isfinite(f.flow->value()) || !std::isfinite(f.flow->rate_per_s))
      return std::pair{f.info.name, std::isfinite(f.flow->value()) ? f.flow->rate_per_s : f.flow->value()};
  for (const auto& f : flows_2d_)
    for (std::size_t i = 0; i < f.flows.size(); ++i)
      if (!std::isfinite(f.flows[i]->value()) || !std::isfinite(f.flows[i]->rate_per_s))
        return std::pair{f.info.name + "[" + f.second.labels[i] + "]",
                         std::isfinite(f.flows[i]->value()) ? f.flows[i]->rate_per_s : f.flows[i]->value()};
  return std::nullopt;
}

RunDataset Recorder::take_series(bool layout) {
  RunDataset out;
  out.time_units = time_units_;
  const std::size_t rows = layout ? 0 : time_s_.size();
  if (!layout) {
    out.time_s = std::exchange(time_s_, {});
    if (sink_) time_s_.reserve(samples_per_block_);
    capacity_rows_ = 0;  // the next sample sizes new columns (grow_columns)
  }
  // Moves a column's first `rows` rows out (its size is the capacity grow_columns made). A
  // stream's next block gets fresh columns, mapped in one call: measured faster than copying
  // the block out and reusing the columns.
  const auto values = [layout, rows](auto& v, std::size_t width) -> ColumnData {
    using V = std::decay_t<decltype(v)>;
    if (layout) return V{};
    v.resize(rows * width);
    return std::exchange(v, V{});
  };
  for (const Declared& declared : order_) {
    const std::size_t i = declared.index;
    switch (declared.kind) {
      case Kind::stock:
        out.series.push_back(Column{stocks_[i].info, values(stocks_[i].values, 1)});
        break;
      case Kind::int_stock:
        out.series.push_back(Column{int_stocks_[i].info, values(int_stocks_[i].values, 1)});
        break;
      case Kind::flow:
        out.series.push_back(Column{flows_[i].info, values(flows_[i].values, 1)});
        break;
      case Kind::stock_2d:
        out.series.push_back(Column{stocks_2d_[i].info, values(stocks_2d_[i].values, stocks_2d_[i].second.labels.size()), stocks_2d_[i].second});
        break;
      case Kind::int_stock_2d:
        out.series.push_back(
            Column{int_stocks_2d_[i].info, values(int_stocks_2d_[i].values, int_stocks_2d_[i].second.labels.size()), int_stocks_2d_[i].second});
        break;
      case Kind::flow_2d:
        out.series.push_back(Column{flows_2d_[i].info, values(flows_2d_[i].values, flows_2d_[i].flows.size()), flows_2d_[i].second});
        break;
    }
  }
  return out;
}

void Recorder::stream_to(RecordSink& sink, std::size_t samples_per_block, std::size_t table_rows_per_chunk) {
  if (samples_ > 0) throw std::logic_error("Recorder::stream_to after the first sample");
  sink_ = &sink;
  samples_per_block_ = std::max<std::size_t>(1, samples_per_block);
  table_rows_per_chunk_ = std::max<std::size_t>(1, table_rows_per_chunk);
}

void Recorder::flush_block() {
  if (!begun_) {
    sink_->begin(take_series(true));
    begun_ = true;
  }
  if (!time_s_.empty()) sink_->series_block(take_series(false));
}

void Recorder::finish_stream() {
  if (sink_) flush_block();
}

void Recorder::add_table(Table table) {
  if (sink_) {
    if (!begun_) {
      sink_->begin(take_series(true));
      begun_ = true;
    }
    sink_->table_rows(std::move(table));
    return;
  }
  for (auto& t : tables_)
    if (t.group == table.group) return append_rows(t, std::move(table));
  tables_.push_back(std::move(table));
}

void append_rows(Table& into, Table&& more) {
  if (into.columns.size() != more.columns.size())
    throw std::invalid_argument("table '" + into.group + "': rows added with " + std::to_string(more.columns.size()) +
                                " columns to a table of " + std::to_string(into.columns.size()));
  for (std::size_t i = 0; i < into.columns.size(); ++i) {
    Column& a = into.columns[i];
    Column& b = more.columns[i];
    if (a.info.name != b.info.name || a.data.index() != b.data.index())
      throw std::invalid_argument("table '" + into.group + "': column " + std::to_string(i) + " is '" + a.info.name +
                                  "' but the added rows have '" + b.info.name + "' or another type");
    std::visit(
        [&](auto& va) {
          auto& vb = std::get<std::decay_t<decltype(va)>>(b.data);
          va.insert(va.end(), std::make_move_iterator(vb.begin()), std::make_move_iterator(vb.end()));
        },
        a.data);
  }
}

RunDataset Recorder::take(std::string time_units) {
  time_units_ = std::move(time_units);
  if (sink_) {
    RunDataset out = take_series(true);
    return out;
  }
  RunDataset out = take_series(false);
  out.tables = std::move(tables_);
  return out;
}

}  // namespace hybridsim::sim::output
