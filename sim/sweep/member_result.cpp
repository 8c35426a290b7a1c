#include "sim/sweep/member_result.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "sim/sweep/chunk_codec.hpp"

namespace hybridsim::sweep {

std::int64_t chunk_time(std::int64_t time, std::int64_t labels) {
  return std::max<std::int64_t>(1, std::min(time, kChunkElements / std::max<std::int64_t>(1, labels)));
}

namespace {

template <typename T>
void encode_series(const std::vector<T>& values, std::int64_t time, std::int64_t labels, std::int64_t per_chunk,
                   T fill, std::vector<std::vector<std::uint8_t>>& out, std::size_t& raw_bytes) {
  std::vector<T> chunk(static_cast<std::size_t>(per_chunk * labels));
  for (std::int64_t t0 = 0; t0 < time; t0 += per_chunk) {
    const std::int64_t rows = std::min(per_chunk, time - t0);
    std::fill(chunk.begin(), chunk.end(), fill);
    std::copy_n(values.begin() + t0 * labels, rows * labels, chunk.begin());
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(chunk.data());
    out.push_back(encode_chunk({bytes, chunk.size() * sizeof(T)}, sizeof(T)));
    raw_bytes += static_cast<std::size_t>(rows * labels) * sizeof(T);
  }
}

}  // namespace

MemberResult encode_member(std::int64_t index, sim::output::RunDataset data) {
  MemberResult r;
  r.index = index;
  r.time_units = data.time_units;
  r.time_s = std::move(data.time_s);
  const auto time = static_cast<std::int64_t>(r.time_s.size());
  for (auto& column : data.series) {
    SeriesShape shape{column.info, column.second, column.data.index() == 1, 0};
    shape.chunk_time = chunk_time(time, shape.labels());
    auto& chunks = r.chunks.emplace_back();
    if (const auto* d = std::get_if<std::vector<double>>(&column.data)) {
      encode_series(*d, time, shape.labels(), shape.chunk_time, std::numeric_limits<double>::quiet_NaN(), chunks,
                    r.raw_bytes);
    } else if (const auto* i = std::get_if<std::vector<std::int64_t>>(&column.data)) {
      encode_series(*i, time, shape.labels(), shape.chunk_time, std::int64_t{0}, chunks, r.raw_bytes);
    } else {
      throw std::logic_error("series '" + column.info.name + "' holds strings; sweep series are numbers");
    }
    r.shapes.push_back(std::move(shape));
  }
  for (auto& table : data.tables) {
    if (table.group != "summary") {
      r.tables.push_back(std::move(table));
      continue;
    }
    const auto column = [&](const char* name) -> const sim::output::ColumnData& {
      for (const auto& c : table.columns)
        if (c.info.name == name) return c.data;
      throw std::logic_error(std::string("summary table without column ") + name);
    };
    const auto& keys = std::get<std::vector<std::string>>(column("key"));
    const auto& values = std::get<std::vector<double>>(column("value"));
    const auto& units = std::get<std::vector<std::string>>(column("units"));
    const auto& what = std::get<std::vector<std::string>>(column("description"));
    for (std::size_t i = 0; i < keys.size(); ++i) {
      r.metrics.push_back({keys[i], units[i], what[i]});
      r.summary.push_back(values[i]);
    }
  }
  return r;
}

}  // namespace hybridsim::sweep
