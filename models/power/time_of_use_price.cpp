#include "models/power/time_of_use_price.hpp"

#include <stdexcept>

namespace hybridsim::models::power {
namespace {

// Every (day type, hour, month) combination occurs within a year and a week of hours, so a
// price unchanged that long never changes.
constexpr int kHoursToScan = (366 + 7) * 24;

std::int64_t floor_to_hour(std::int64_t s) {
  const std::int64_t r = s % sim::kSecondsPerHour;
  return s - (r < 0 ? r + sim::kSecondsPerHour : r);
}

}  // namespace

TimeOfUsePrice::TimeOfUsePrice(const Params& params) : params_(params) {
  // Offsets that are not whole quarter hours would make "the local hour" start mid-quarter;
  // no zone does that, and the registration rejects them with a located message.
  if (params_.utc_offset_s % (15 * sim::kSecondsPerMinute) != 0)
    throw std::invalid_argument("utc_offset_hours: must be a multiple of 0.25 h");
}

double TimeOfUsePrice::price_at_local(std::int64_t local_s) const {
  const sim::CivilTime c = sim::civil_from_unix(local_s);
  const auto& table = c.weekday >= 5 ? params_.weekend_usd_per_mwh : params_.weekday_usd_per_mwh;
  return table[static_cast<std::size_t>(c.hour)] * params_.monthly_multiplier[static_cast<std::size_t>(c.month - 1)];
}

double TimeOfUsePrice::price_at(sim::SimTime now_s) const {
  return price_at_local(params_.epoch_unix_s + now_s + params_.utc_offset_s);
}

sim::PowerPriceModel::Step TimeOfUsePrice::step(sim::SimTime now_s, sim::Rng&) {
  const std::int64_t to_local = params_.epoch_unix_s + params_.utc_offset_s;
  const double price = price_at_local(to_local + now_s);
  std::int64_t boundary = floor_to_hour(to_local + now_s) + sim::kSecondsPerHour;
  for (int i = 0; i < kHoursToScan; ++i, boundary += sim::kSecondsPerHour)
    if (price_at_local(boundary) != price) return {price, boundary - to_local};
  return {price, kNever};
}

}  // namespace hybridsim::models::power
