#include "sim/sweep/member_codec.hpp"

#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace hybridsim::sweep {

namespace {

using sim::output::Column;
using sim::output::ColumnData;
using sim::output::Dimension;
using sim::output::Table;
using sim::output::VariableInfo;

class Writer {
 public:
  std::vector<std::uint8_t> bytes;

  template <typename T>
    requires std::is_arithmetic_v<T>
  void put(T v) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
    bytes.insert(bytes.end(), p, p + sizeof(T));
  }
  void put(const std::string& s) {
    put<std::uint64_t>(s.size());
    bytes.insert(bytes.end(), s.begin(), s.end());
  }
  template <typename T>
    requires std::is_arithmetic_v<T>
  void put(const std::vector<T>& v) {
    put<std::uint64_t>(v.size());
    const auto* p = reinterpret_cast<const std::uint8_t*>(v.data());
    bytes.insert(bytes.end(), p, p + v.size() * sizeof(T));
  }
  void put(const std::vector<std::string>& v) {
    put<std::uint64_t>(v.size());
    for (const auto& s : v) put(s);
  }
  void put(const VariableInfo& i) {
    put(i.name);
    put(i.units);
    put(i.long_name);
    put(i.cell_methods);
    put(i.account);
    put<std::int32_t>(i.cash_sign);
    put(i.account_kind);
    put_coordinates(i);
  }
  /// CF `coordinates` of table columns, when VariableInfo has them (a template, so that the
  /// check compiles either way).
  template <typename Info>
  void put_coordinates(const Info& i) {
    if constexpr (requires { i.coordinates; }) put(i.coordinates);
  }
  void put(const std::optional<Dimension>& d) {
    put<std::uint8_t>(d ? 1 : 0);
    if (d) {
      put(d->name);
      put(d->labels);
    }
  }
  void put(const ColumnData& data) {
    put<std::uint8_t>(static_cast<std::uint8_t>(data.index()));
    std::visit([&](const auto& v) { put(v); }, data);
  }
};

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> b) : bytes_(b) {}

  template <typename T>
    requires std::is_arithmetic_v<T>
  T get() {
    T v;
    std::memcpy(&v, take(sizeof(T)), sizeof(T));
    return v;
  }
  std::string text() {
    const auto n = count(1);
    const auto* p = take(n);
    return {reinterpret_cast<const char*>(p), n};
  }
  template <typename T>
  std::vector<T> numbers() {
    const auto n = count(sizeof(T));
    std::vector<T> v(n);
    if (n) std::memcpy(v.data(), take(n * sizeof(T)), n * sizeof(T));
    return v;
  }
  std::vector<std::string> texts() {
    const auto n = count(sizeof(std::uint64_t));
    std::vector<std::string> v;
    v.reserve(n);
    for (std::size_t i = 0; i < n; ++i) v.push_back(text());
    return v;
  }
  VariableInfo info() {
    VariableInfo i;
    i.name = text();
    i.units = text();
    i.long_name = text();
    i.cell_methods = text();
    i.account = text();
    i.cash_sign = get<std::int32_t>();
    i.account_kind = text();
    get_coordinates(i);
    return i;
  }
  template <typename Info>
  void get_coordinates(Info& i) {
    if constexpr (requires { i.coordinates; }) i.coordinates = text();
  }
  std::optional<Dimension> dimension() {
    if (get<std::uint8_t>() == 0) return std::nullopt;
    Dimension d;
    d.name = text();
    d.labels = texts();
    return d;
  }
  ColumnData data() {
    switch (get<std::uint8_t>()) {
      case 0: return numbers<double>();
      case 1: return numbers<std::int64_t>();
      case 2: return texts();
      default: throw std::runtime_error("member bytes: unknown column type");
    }
  }
  /// A count of items of at least `min_size` bytes each, checked against what is left.
  std::size_t count(std::size_t min_size) {
    const auto n = get<std::uint64_t>();
    if (n > (bytes_.size() - at_) / min_size) throw std::runtime_error("member bytes: truncated");
    return static_cast<std::size_t>(n);
  }
  bool at_end() const { return at_ == bytes_.size(); }

 private:
  const std::uint8_t* take(std::size_t n) {
    if (n > bytes_.size() - at_) throw std::runtime_error("member bytes: truncated");
    const auto* p = bytes_.data() + at_;
    at_ += n;
    return p;
  }
  std::span<const std::uint8_t> bytes_;
  std::size_t at_ = 0;
};

constexpr std::uint32_t kMagic = 0x4d425348;  // "HSBM"

}  // namespace

std::vector<std::uint8_t> serialize_member(const MemberResult& r) {
  Writer w;
  w.put(kMagic);
  w.put(r.index);
  w.put(r.time_units);
  w.put(r.time_s);
  w.put<std::uint64_t>(r.shapes.size());
  for (const auto& s : r.shapes) {
    w.put(s.info);
    w.put(s.second);
    w.put<std::uint8_t>(s.integer ? 1 : 0);
    w.put(s.chunk_time);
  }
  w.put<std::uint64_t>(r.chunks.size());
  for (const auto& series : r.chunks) {
    w.put<std::uint64_t>(series.size());
    for (const auto& c : series) w.put(c);
  }
  w.put<std::uint64_t>(r.metrics.size());
  for (const auto& m : r.metrics) {
    w.put(m.key);
    w.put(m.units);
    w.put(m.description);
  }
  w.put(r.summary);
  w.put<std::uint64_t>(r.tables.size());
  for (const auto& t : r.tables) {
    w.put(t.group);
    w.put(t.dimension);
    w.put(t.long_name);
    w.put<std::uint64_t>(t.columns.size());
    for (const auto& c : t.columns) {
      w.put(c.info);
      w.put(c.data);
      w.put(c.second);
    }
  }
  w.put<std::uint64_t>(r.raw_bytes);
  return std::move(w.bytes);
}

MemberResult deserialize_member(std::span<const std::uint8_t> bytes) {
  Reader in(bytes);
  if (in.get<std::uint32_t>() != kMagic) throw std::runtime_error("member bytes: not a serialized member");
  MemberResult r;
  r.index = in.get<std::int64_t>();
  r.time_units = in.text();
  r.time_s = in.numbers<std::int64_t>();
  for (auto n = in.count(1); n > 0; --n) {
    SeriesShape s;
    s.info = in.info();
    s.second = in.dimension();
    s.integer = in.get<std::uint8_t>() != 0;
    s.chunk_time = in.get<std::int64_t>();
    r.shapes.push_back(std::move(s));
  }
  for (auto n = in.count(8); n > 0; --n) {
    auto& series = r.chunks.emplace_back();
    for (auto c = in.count(8); c > 0; --c) series.push_back(in.numbers<std::uint8_t>());
  }
  for (auto n = in.count(1); n > 0; --n) {
    SummaryMetric m;
    m.key = in.text();
    m.units = in.text();
    m.description = in.text();
    r.metrics.push_back(std::move(m));
  }
  r.summary = in.numbers<double>();
  for (auto n = in.count(1); n > 0; --n) {
    Table t;
    t.group = in.text();
    t.dimension = in.text();
    t.long_name = in.text();
    for (auto c = in.count(1); c > 0; --c) {
      Column col;
      col.info = in.info();
      col.data = in.data();
      col.second = in.dimension();
      t.columns.push_back(std::move(col));
    }
    r.tables.push_back(std::move(t));
  }
  r.raw_bytes = static_cast<std::size_t>(in.get<std::uint64_t>());
  if (!in.at_end()) throw std::runtime_error("member bytes: trailing bytes");
  return r;
}

// Every field of these structs is serialized above: a new field must be added there too
// (these size checks, on the 64-bit Linux builds we ship, are the reminder; VariableInfo may
// or may not have `coordinates`, handled above either way).
constexpr bool k64 = sizeof(void*) == 8 && sizeof(std::string) == 32;
static_assert(!k64 || sizeof(MemberResult) == 8 + 32 + 24 * 6 + 8,
              "MemberResult changed: update serialize_member/deserialize_member");
static_assert(!k64 || sizeof(SeriesShape) == sizeof(VariableInfo) + 64 + 8 + 8, "SeriesShape changed: update the codec");
static_assert(!k64 || sizeof(SummaryMetric) == 3 * 32, "SummaryMetric changed: update the codec");
static_assert(!k64 || sizeof(VariableInfo) == 6 * 32 + 8 || sizeof(VariableInfo) == 7 * 32 + 8,
              "VariableInfo changed: update the codec");
static_assert(!k64 || sizeof(Dimension) == 32 + 24, "Dimension changed: update the codec");
static_assert(!k64 || sizeof(Column) == sizeof(VariableInfo) + 32 + 64, "Column changed: update the codec");
static_assert(!k64 || sizeof(Table) == 3 * 32 + 24, "Table changed: update the codec");

}  // namespace hybridsim::sweep
