#include "models/dispatch/budget.hpp"

#include <algorithm>
#include <numeric>

namespace hybridsim::models::dispatch {

const std::vector<std::size_t>& by_value(const sim::DispatchInput& in, Scratch& scratch, const sim::LoadKind* kind) {
  std::vector<std::size_t>& order = scratch.order;
  order.clear();
  order.reserve(in.consumers.size());
  for (std::size_t i = 0; i < in.consumers.size(); ++i)
    if (!kind || in.consumers[i].kind == *kind) order.push_back(i);
  // A total order (ties broken by declaration index) gives std::stable_sort's result without
  // the temporary buffer std::stable_sort allocates at every decision.
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = in.consumers[a];
    const auto& y = in.consumers[b];
    if (x.curtailable != y.curtailable) return !x.curtailable;
    if (x.value_usd_per_mwh != y.value_usd_per_mwh) return x.value_usd_per_mwh > y.value_usd_per_mwh;
    return a < b;
  });
  return order;
}

}  // namespace hybridsim::models::dispatch
