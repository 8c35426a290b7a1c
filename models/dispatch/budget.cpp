#include "models/dispatch/budget.hpp"

#include <numeric>

namespace hybridsim::models::dispatch {

std::vector<std::size_t> by_value(const sim::DispatchInput& in, const sim::LoadKind* kind) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < in.consumers.size(); ++i)
    if (!kind || in.consumers[i].kind == *kind) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = in.consumers[a];
    const auto& y = in.consumers[b];
    if (x.curtailable != y.curtailable) return !x.curtailable;
    return x.value_usd_per_mwh > y.value_usd_per_mwh;
  });
  return order;
}

}  // namespace hybridsim::models::dispatch
