#pragma once
// A small valid scenario for tests, with known line numbers, and a helper to vary it.
#include <string>

namespace hybridsim::test {

// Line numbers (1-based) matter: the error tests assert exact positions.
inline const std::string kMiniScenario =
    "name: mini\n"                                             // 1
    "start: 2024-01-01T00:00:00Z\n"                            // 2
    "horizon_years: 0.1\n"                                     // 3
    "seed: 7\n"                                                // 4
    "record_every: 1d\n"                                       // 5
    "world:\n"                                                 // 6
    "  bitcoin:\n"                                             // 7
    "    start_height: 823785\n"                               // 8
    "    start_difficulty: 72006146478567\n"                   // 9
    "  btc_price: {model: gbm, initial_usd: 44167, vol_per_year: 0.5}\n"  // 10
    "  network: {model: growth, growth_per_year: 0.4}\n"       // 11
    "  fees: {model: share_of_subsidy, share: 0.05}\n"         // 12
    "  power_price: {model: fixed, price_usd_per_mwh: 50}\n"   // 13
    "facility:\n"                                              // 14
    "  power_cap_mw: 10\n"                                     // 15
    "  halls:\n"                                               // 16
    "    - {name: mining, pue: 1.05}\n"                        // 17
    "  asic_cohorts:\n"                                        // 18
    "    - {model: S21, count: 2000, hashrate_ths: 200, power_w: 3500, hall: mining}\n"  // 19
    "  pool: {model: fpps}\n";                                 // 20

/// kMiniScenario with the first occurrence of `from` replaced by `to`.
inline std::string mini_with(const std::string& from, const std::string& to) {
  std::string s = kMiniScenario;
  const auto at = s.find(from);
  if (at == std::string::npos) throw std::logic_error("test text not found: " + from);
  return s.replace(at, from.size(), to);
}

}  // namespace hybridsim::test
