#include "sim/output/recorder.hpp"

#include <stdexcept>

namespace hybridsim::sim::output {

void Recorder::stock(VariableInfo info, std::function<double()> sample) {
  order_.push_back(info.name);
  stocks_.push_back(Stock{std::move(info), std::move(sample), {}});
}

void Recorder::stock_int(VariableInfo info, std::function<std::int64_t()> sample) {
  order_.push_back(info.name);
  int_stocks_.push_back(IntStock{std::move(info), std::move(sample), {}});
}

void Recorder::flow(VariableInfo info, const Flow& flow) {
  if (info.cell_methods.empty()) info.cell_methods = "time: sum";
  order_.push_back(info.name);
  flows_.push_back(FlowColumn{std::move(info), &flow, flow.total, {}});
}

void Recorder::sample(SimTime t_s) {
  time_s_.push_back(t_s);
  for (auto& s : stocks_) s.values.push_back(s.sample());
  for (auto& s : int_stocks_) s.values.push_back(s.sample());
  for (auto& f : flows_) {
    f.values.push_back(f.flow->total - f.last_total);
    f.last_total = f.flow->total;
  }
}

RunDataset Recorder::take(std::string time_units) {
  RunDataset out;
  out.time_units = std::move(time_units);
  out.time_s = std::move(time_s_);
  for (const std::string& name : order_) {
    for (auto& s : stocks_)
      if (s.info.name == name) out.series.push_back(Column{s.info, std::move(s.values)});
    for (auto& s : int_stocks_)
      if (s.info.name == name) out.series.push_back(Column{s.info, std::move(s.values)});
    for (auto& f : flows_)
      if (f.info.name == name) out.series.push_back(Column{f.info, std::move(f.values)});
  }
  out.tables = std::move(tables_);
  return out;
}

}  // namespace hybridsim::sim::output
