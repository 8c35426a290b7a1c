#include "models/ai/trace_jobs.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "sim/config/errors.hpp"

namespace hybridsim::models::ai {
namespace {

using sim::config::Location;
using sim::config::ScenarioError;

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

struct Cell {
  std::string text;
  int column;  // 1-based character column
};

std::vector<Cell> split_csv(const std::string& line) {
  std::vector<Cell> out;
  std::size_t start = 0;
  for (;;) {
    const auto comma = line.find(',', start);
    out.push_back(Cell{trim(line.substr(start, comma - start)), static_cast<int>(start) + 1});
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

double parse_number(const std::string& path, int line, const Cell& cell, const std::string& what) {
  double v = 0;
  const auto [end, ec] = std::from_chars(cell.text.data(), cell.text.data() + cell.text.size(), v);
  if (ec != std::errc{} || end != cell.text.data() + cell.text.size() || !std::isfinite(v))
    throw ScenarioError(Location{path, line, cell.column}, what + ": expected a number, got '" + cell.text + "'");
  return v;
}

}  // namespace

JobTrace read_job_trace(const std::string& path, std::int64_t epoch_unix_s, sim::SimTime checkpoint_s,
                        sim::SimTime restart_delay_s) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ScenarioError(Location{path, 0, 0}, "is a folder; expected the job trace CSV file");
  std::ifstream in(path);
  if (!in) throw ScenarioError(Location{path, 0, 0}, "cannot open the job trace");
  std::string text;
  int line_no = 0;
  std::map<std::string, int> col;
  std::vector<Cell> header;
  while (std::getline(in, text)) {
    ++line_no;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (!trim(text).empty()) break;
  }
  header = split_csv(text);
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string& name = header[i].text;
    if (name != "submit" && name != "submit_hours" && name != "gpus" && name != "hours" && name != "contract")
      throw ScenarioError(Location{path, line_no, header[i].column},
                          "unknown column '" + name + "'; accepted: submit or submit_hours, gpus, hours, contract");
    if (col.count(name))
      throw ScenarioError(Location{path, line_no, header[i].column}, "column '" + name + "' given twice");
    col[name] = static_cast<int>(i);
  }
  if (col.count("submit") == col.count("submit_hours") || !col.count("gpus") || !col.count("hours"))
    throw ScenarioError(Location{path, line_no, 1},
                        "the header must name gpus, hours and one of submit, submit_hours (contract optional)");

  JobTrace trace;
  std::map<std::string, int> label_of;
  sim::SimTime last = 0;
  while (std::getline(in, text)) {
    ++line_no;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (trim(text).empty()) continue;
    const std::vector<Cell> cells = split_csv(text);
    if (cells.size() != header.size())
      throw ScenarioError(Location{path, line_no, 1}, "expected " + std::to_string(header.size()) +
                                                          " fields as in the header, got " + std::to_string(cells.size()));
    JobRequest r;
    if (col.count("submit")) {
      const Cell& c = cells[col["submit"]];
      const auto t = sim::parse_utc(c.text);
      if (!t) throw ScenarioError(Location{path, line_no, c.column}, "submit: expected a UTC time, got '" + c.text + "'");
      r.submit_s = *t - epoch_unix_s;
    } else {
      const Cell& sh = cells[col["submit_hours"]];
      const double submit_hours = parse_number(path, line_no, sh, "submit_hours");
      if (!(std::abs(submit_hours) <= 1e6))
        throw ScenarioError(Location{path, line_no, sh.column},
                            "submit_hours: expected at most 1e6 hours (114 years) from the start, got '" + sh.text + "'");
      r.submit_s = std::llround(submit_hours * 3600.0);
    }
    const Cell& at = cells[col.count("submit") ? col["submit"] : col["submit_hours"]];
    if (r.submit_s < 0)
      throw ScenarioError(Location{path, line_no, at.column}, "the job is submitted before the scenario's start");
    if (r.submit_s < last)
      throw ScenarioError(Location{path, line_no, at.column}, "rows must be in order of submission time");
    last = r.submit_s;
    const Cell& g = cells[col["gpus"]];
    const double gpus = parse_number(path, line_no, g, "gpus");
    if (gpus < 1 || gpus != std::floor(gpus) || gpus > 1e9)
      throw ScenarioError(Location{path, line_no, g.column}, "gpus: expected an integer >= 1, got '" + g.text + "'");
    r.gpus = static_cast<int>(gpus);
    const Cell& h = cells[col["hours"]];
    const double hours = parse_number(path, line_no, h, "hours");
    // A million hours (114 years) is longer than any horizon; beyond it the seconds overflow.
    if (!(hours > 0) || hours > 1e6)
      throw ScenarioError(Location{path, line_no, h.column},
                          "hours: expected a number > 0 and at most 1e6 (114 years), got '" + h.text + "'");
    r.duration_s = std::max<sim::SimTime>(1, std::llround(hours * 3600.0));
    const std::string contract = col.count("contract") ? cells[col["contract"]].text : "";
    auto [it, fresh] = label_of.emplace(contract, static_cast<int>(trace.labels.size()));
    if (fresh) trace.labels.push_back(contract);
    r.label = it->second;
    r.checkpoint_s = checkpoint_s;
    r.restart_delay_s = restart_delay_s;
    trace.jobs.push_back(r);
  }
  if (trace.labels.empty()) trace.labels.push_back("");
  return trace;
}

int TraceJobs::max_gpus() const {
  int m = 0;
  for (const auto& j : trace_->jobs) m = std::max(m, j.gpus);
  return m;
}

std::optional<JobRequest> TraceJobs::next(sim::SimTime now_s, JobDraws&) {
  while (next_ < trace_->jobs.size() && trace_->jobs[next_].submit_s < now_s) ++next_;
  if (next_ == trace_->jobs.size()) return std::nullopt;
  return trace_->jobs[next_++];
}

}  // namespace hybridsim::models::ai
