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

/// Whole chunks [first, first + count) of a column of `element_bytes`-byte elements whose rows
/// begin at file row `start`.
std::vector<std::vector<std::uint8_t>> whole_chunks(const void* rows, std::size_t element_bytes, std::int64_t start,
                                                    std::int64_t first, std::int64_t count) {
  std::vector<std::vector<std::uint8_t>> out;
  out.reserve(static_cast<std::size_t>(count));
  const std::size_t chunk_bytes = static_cast<std::size_t>(kTableChunkRows) * element_bytes;
  for (std::int64_t c = first; c < first + count; ++c) {
    const auto* bytes =
        static_cast<const std::uint8_t*>(rows) + static_cast<std::size_t>(c * kTableChunkRows - start) * element_bytes;
    out.push_back(encode_chunk({bytes, chunk_bytes}, element_bytes));
  }
  return out;
}

}  // namespace

std::optional<std::vector<char>> pack_fixed_width(const std::vector<std::string>& values, std::size_t width) {
  std::vector<char> out(values.size() * width, '\0');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].size() > width) return std::nullopt;
    std::memcpy(out.data() + i * width, values[i].data(), values[i].size());
  }
  return out;
}

TableRows table_rows(const MemberResult& r) {
  TableRows rows;
  for (const auto& t : r.tables)
    rows[t.group] = t.columns.empty() ? 0
                                     : static_cast<std::int64_t>(std::visit(
                                           [](const auto& v) { return v.size(); }, t.columns[0].data));
  return rows;
}

std::vector<PreparedTable> prepare_tables(const MemberResult& r, const TableRows& starts, const TextWidths& widths) {
  std::vector<PreparedTable> out;
  const auto rows = table_rows(r);
  for (const auto& t : r.tables) {
    const auto at = starts.find(t.group);
    if (at == starts.end()) continue;
    PreparedTable p;
    p.group = t.group;
    p.start = at->second;
    const std::int64_t n = rows.at(t.group);
    p.first_chunk = (p.start + kTableChunkRows - 1) / kTableChunkRows;
    p.chunks = std::max<std::int64_t>(0, (p.start + n) / kTableChunkRows - p.first_chunk);
    if (p.chunks > 0) {
      const auto add = [&](const void* data, std::size_t element_bytes) {
        p.columns.push_back(whole_chunks(data, element_bytes, p.start, p.first_chunk, p.chunks));
        p.element_bytes.push_back(element_bytes);
      };
      std::vector<std::int64_t> numbers(static_cast<std::size_t>(n));
      for (std::int64_t i = 0; i < n; ++i) numbers[static_cast<std::size_t>(i)] = p.start + i;
      add(numbers.data(), 8);  // the table's index
      std::fill(numbers.begin(), numbers.end(), r.index);
      add(numbers.data(), 8);  // `run`
      for (const auto& c : t.columns) {
        if (const auto* d = std::get_if<std::vector<double>>(&c.data)) {
          add(d->data(), sizeof(double));
        } else if (const auto* i = std::get_if<std::vector<std::int64_t>>(&c.data)) {
          add(i->data(), sizeof(std::int64_t));
        } else {
          const auto width = widths.find(t.group + "/" + c.info.name);
          const auto text = width == widths.end()
                                ? std::nullopt
                                : pack_fixed_width(std::get<std::vector<std::string>>(c.data), width->second);
          if (text && !text->empty()) {
            add(text->data(), width->second);
          } else {
            p.columns.emplace_back();
            p.element_bytes.push_back(0);
          }
        }
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

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
