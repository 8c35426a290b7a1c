#include "models/dispatch/budget.hpp"

#include <algorithm>

namespace hybridsim::models::dispatch {

const std::vector<std::size_t>& by_value(const sim::DispatchInput& in, Scratch& scratch) {
  std::vector<std::size_t>& order = scratch.order;
  // The last order still applies when it names as many consumers (then it is a permutation
  // of 0..n-1); otherwise start from declaration order.
  if (order.size() != in.consumers.size()) {
    order.resize(in.consumers.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  }
  // A total order (ties broken by declaration index), so the result does not depend on the
  // order it starts from.
  const auto before = [&](std::size_t a, std::size_t b) {
    const auto& x = in.consumers[a];
    const auto& y = in.consumers[b];
    if (x.curtailable != y.curtailable) return !x.curtailable;
    if (x.value_usd_per_mwh != y.value_usd_per_mwh) return x.value_usd_per_mwh > y.value_usd_per_mwh;
    return a < b;
  };
  if (order.size() > 32) {
    std::sort(order.begin(), order.end(), before);
    return order;
  }
  // Insertion sort: O(n) on the nearly sorted order of the last decision.
  for (std::size_t k = 1; k < order.size(); ++k) {
    const std::size_t v = order[k];
    std::size_t j = k;
    for (; j > 0 && before(v, order[j - 1]); --j) order[j] = order[j - 1];
    order[j] = v;
  }
  return order;
}

}  // namespace hybridsim::models::dispatch
