#include "models/bitcoin/solo_payout.hpp"

#include <algorithm>
#include "sim/core/portable_random.hpp"

namespace hybridsim::models::bitcoin {

double SoloPayout::accrual_btc_per_s(const PayoutState&) const { return 0.0; }

std::int64_t SoloPayout::on_block_sat(const PayoutState& s, std::int64_t subsidy_sat, std::int64_t fees_sat,
                                      sim::Rng& rng) {
  // Always draw, so the stream stays aligned across sweep members with different fleets.
  const double u = sim::uniform_open01(rng);
  const double p = s.network_hashrate_ths > 0 ? std::clamp(s.facility_hashrate_ths / s.network_hashrate_ths, 0.0, 1.0) : 0.0;
  return u < p ? subsidy_sat + fees_sat : 0;
}

}  // namespace hybridsim::models::bitcoin
