#include "models/dispatch/price_threshold.hpp"

#include <stdexcept>

#include "models/dispatch/budget.hpp"

namespace hybridsim::models::dispatch {

PriceThreshold::PriceThreshold(std::optional<double> threshold_usd_per_mwh, std::optional<double> hashprice_multiple)
    : threshold_usd_per_mwh_(threshold_usd_per_mwh), hashprice_multiple_(hashprice_multiple) {
  if (threshold_usd_per_mwh_.has_value() == hashprice_multiple_.has_value())
    throw std::invalid_argument("price_threshold: give exactly one of threshold_usd_per_mwh and hashprice_multiple");
}

void PriceThreshold::decide(const sim::DispatchInput& in, std::span<double> limit_mw) {
  Budget budget(in, scratch_);
  const double p = in.effective_price_usd_per_mwh;
  const sim::LoadKind gpu = sim::LoadKind::kGpu, asic = sim::LoadKind::kAsic;
  const auto& order = by_value(in, scratch_);
  for (std::size_t i : order)
    if (in.consumers[i].kind == gpu) limit_mw[i] = budget.take(i, sim::economic_target_mw(in.consumers[i], p));
  for (std::size_t i : order) {
    const sim::ConsumerView& c = in.consumers[i];
    if (c.kind != asic) continue;
    const double threshold = threshold_usd_per_mwh_ ? *threshold_usd_per_mwh_ : *hashprice_multiple_ * c.value_usd_per_mwh;
    const bool run = !c.curtailable || p <= threshold;
    limit_mw[i] = budget.take(i, run ? c.max_mw : c.min_mw);
  }
}

}  // namespace hybridsim::models::dispatch
