#include "sim/config/count_or_power.hpp"

#include <charconv>
#include <cmath>

namespace hybridsim::sim::config {
namespace {

std::string text(double v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, ec == std::errc{} ? end : buf);
}

}  // namespace

std::int64_t count_from_power_mw(double power_mw, double unit_w) {
  return static_cast<std::int64_t>(std::floor(power_mw * 1e6 / unit_w * (1.0 + 1e-12)));
}

std::int64_t read_count_or_power(const Params& p, YAML::Node map, double unit_w, const std::string& machine,
                                 double max_count) {
  if (p.has("count") == p.has("power_mw"))
    p.fail(p.has("count") ? "power_mw" : "count",
           p.has("count") ? "give either count or power_mw, not both"
                          : "missing; give count (machines) or power_mw (their nameplate MW)");
  if (p.has("count")) return p.integer("count");
  const double power_mw = p.number("power_mw");
  const double most = max_count * unit_w / 1e6;
  if (power_mw > most)
    p.fail("power_mw", text(power_mw) + " MW is more than " + text(max_count) + " machines of " + text(unit_w) +
                           " W; at most " + text(most) + " MW");
  const std::int64_t count = count_from_power_mw(power_mw, unit_w);
  if (count < 1)
    p.fail("power_mw", text(power_mw) + " MW holds no " + machine + "; give at least " + text(unit_w / 1e6) + " MW");
  map.remove("power_mw");
  map["count"] = std::to_string(count);
  return count;
}

}  // namespace hybridsim::sim::config
