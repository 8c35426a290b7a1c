#include "models/dispatch/static_split.hpp"

#include "models/dispatch/budget.hpp"

namespace hybridsim::models::dispatch {

void StaticSplit::decide(const sim::DispatchInput& in, std::span<double> limit_mw) {
  Budget budget(in, scratch_);
  // Contracted capacity first: tenants (not curtailable) reserve before the owned clusters.
  const sim::LoadKind gpu = sim::LoadKind::kGpu, asic = sim::LoadKind::kAsic;
  const auto& order = by_value(in, scratch_);
  for (std::size_t i : order)
    if (in.consumers[i].kind == gpu) limit_mw[i] = budget.take(i, in.consumers[i].nameplate_mw);
  for (std::size_t i : order)
    if (in.consumers[i].kind == asic)
      limit_mw[i] = budget.take(i, sim::economic_target_mw(in.consumers[i], in.effective_price_usd_per_mwh));
}

}  // namespace hybridsim::models::dispatch
