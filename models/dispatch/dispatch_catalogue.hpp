#pragma once
/// The registry of dispatch policies (`facility.dispatch.model`).
#include "sim/config/registry.hpp"
#include "sim/facility/dispatch_policy.hpp"

namespace hybridsim::models::dispatch {

struct DispatchCatalogue {
  sim::config::Registry<sim::DispatchPolicy> dispatch{"dispatch", "how the interconnect's MW are split among the loads"};
};

void register_dispatch_policies(DispatchCatalogue& catalogue);

}  // namespace hybridsim::models::dispatch
