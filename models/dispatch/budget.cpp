#include "models/dispatch/budget.hpp"

#include <algorithm>
#include <numeric>

namespace hybridsim::models::dispatch {

const std::vector<std::size_t>& by_value(const sim::DispatchInput& in, Scratch& scratch, const sim::LoadKind* kind) {
  const auto matches = [&](std::size_t i) { return !kind || in.consumers[i].kind == *kind; };
  std::vector<std::size_t>& order = scratch.order[!kind ? 0 : *kind == sim::LoadKind::kAsic ? 1 : 2];
  // The last order still names the matching consumers (a permutation of them) when it has as
  // many entries as there are matches and each entry is one; otherwise start from
  // declaration order.
  std::size_t matching = 0;
  for (std::size_t i = 0; i < in.consumers.size(); ++i) matching += matches(i) ? 1 : 0;
  bool same = order.size() == matching;
  for (std::size_t k = 0; same && k < order.size(); ++k) same = order[k] < in.consumers.size() && matches(order[k]);
  if (!same) {
    order.clear();
    for (std::size_t i = 0; i < in.consumers.size(); ++i)
      if (matches(i)) order.push_back(i);
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
