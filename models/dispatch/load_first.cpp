#include "models/dispatch/load_first.hpp"

#include "models/dispatch/budget.hpp"

namespace hybridsim::models::dispatch {

void LoadFirst::decide(const sim::DispatchInput& in, std::span<double> limit_mw) {
  Budget budget(in, scratch_);
  const sim::LoadKind second = first_ == sim::LoadKind::kGpu ? sim::LoadKind::kAsic : sim::LoadKind::kGpu;
  const auto& order = by_value(in, scratch_);
  for (const sim::LoadKind kind : {first_, second})
    for (std::size_t i : order)
      if (in.consumers[i].kind == kind)
        limit_mw[i] = budget.take(i, sim::economic_target_mw(in.consumers[i], in.effective_price_usd_per_mwh));
}

}  // namespace hybridsim::models::dispatch
