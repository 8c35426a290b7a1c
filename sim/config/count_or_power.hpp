#pragma once
/// Capacity given as a count of machines or as their nameplate megawatts (`count` or
/// `power_mw`), for ASIC cohorts and GPU clusters.
///
///     count = floor(power_mw · 10^6 / unit_w)
///
/// unit_w being the power of one machine as its model counts it (an ASIC's `power_w` at the
/// wall, a GPU's `power_w` at load): the nameplate of `count` machines is then at most
/// power_mw. The floor allows a relative 10^-12 so that 7 MW of 3500 W machines is 2000, not
/// 1999 (7 · 10^6 / 3500 is not exact in binary). The resolved scenario gets `count` in place
/// of `power_mw`, so it reloads to the same machines.
#include <cstdint>
#include <string>

#include <yaml-cpp/yaml.h>

#include "sim/config/params.hpp"

namespace hybridsim::sim::config {

/// floor(power_mw · 10^6 / unit_w), with the tolerance above.
std::int64_t count_from_power_mw(double power_mw, double unit_w);

/// The machines of the map `map` read as `p`: its `count`, or the count its `power_mw` holds
/// (which is then replaced by `count` in `map`). Exactly one of the two must be given; a
/// derived count must be at least 1 and at most `max_count`. `machine` names one machine
/// in messages ("machine of 3500 W").
std::int64_t read_count_or_power(const Params& p, YAML::Node map, double unit_w, const std::string& machine,
                                 double max_count);

}  // namespace hybridsim::sim::config
