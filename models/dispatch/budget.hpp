#pragma once
/// What is left of the cap and of each hall's limit while a policy hands out megawatts.
#include <algorithm>
#include <span>
#include <vector>

#include "sim/facility/dispatch_policy.hpp"

namespace hybridsim::models::dispatch {

/// Buffers a policy keeps between decisions, so that deciding allocates nothing.
struct Scratch {
  std::vector<double> hall_left_mw;
  /// by_value's last order: values move slowly, so the next decision's order is mostly the
  /// same, and sorting it again costs O(n).
  std::vector<std::size_t> order;
};

class Budget {
 public:
  Budget(const sim::DispatchInput& in, Scratch& scratch)
      : in_(in), cap_left_mw_(in.cap_mw), hall_left_mw_(scratch.hall_left_mw) {
    hall_left_mw_.assign(in.hall_limit_mw.begin(), in.hall_limit_mw.end());
  }

  /// Grants consumer `i` as much of `want_mw` as the cap and its hall allow; returns it.
  double take(std::size_t i, double want_mw) {
    double& hall = hall_left_mw_[in_.consumers[i].hall];
    const double mw = std::max(0.0, std::min({want_mw, cap_left_mw_, hall}));
    cap_left_mw_ -= mw;
    hall -= mw;
    return mw;
  }
  /// Takes `mw` off the cap without granting it to anyone (a reservation).
  void reserve(std::size_t i, double mw) { (void)take(i, mw); }

 private:
  const sim::DispatchInput& in_;
  double cap_left_mw_;
  std::vector<double>& hall_left_mw_;
};

/// The consumers by value per MWh, highest first; ties keep declaration order.
/// Non-curtailable consumers come before all others. It is a total order, so the consumers
/// of one kind, taken in this order, are in that kind's own order by the same rule.
/// The result lives in `scratch` until the next call.
const std::vector<std::size_t>& by_value(const sim::DispatchInput& in, Scratch& scratch);

}  // namespace hybridsim::models::dispatch
