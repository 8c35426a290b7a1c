#include "models/dispatch/marginal_value.hpp"

#include "models/dispatch/budget.hpp"

namespace hybridsim::models::dispatch {

void MarginalValue::decide(const sim::DispatchInput& in, std::span<double> limit_mw) {
  Budget budget(in, scratch_);
  for (std::size_t i : by_value(in, scratch_))
    limit_mw[i] = budget.take(i, sim::economic_target_mw(in.consumers[i], in.effective_price_usd_per_mwh));
}

}  // namespace hybridsim::models::dispatch
