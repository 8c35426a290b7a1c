#pragma once
/// A GPU cluster: identical GPUs in one hall, owned by the facility or by a tenant.
#include <cmath>
#include <string>

#include "sim/core/time.hpp"

namespace hybridsim::models::ai {

/// H100 SXM power-capping range: NVIDIA's DGX user guides ("Managing Power Capping", Redfish
/// `PowerLimitWatts` of an SXM GPU) show AllowableMin 200 W, AllowableMax 700 W, so the
/// lowest cap is 200/700 = 2/7 of full power.
inline constexpr double kH100PowerFloorFraction = 200.0 / 700.0;
/// Throughput exponent α of r(f) = f^α. An assumption fitted to one second-hand figure
/// (Factryze "Power Capping" note: capping an H100 at 600 W, f = 6/7, costs transformer
/// pretraining 10–15 % of its step throughput → α between 0.68 and 1.05); 0.87 is the middle
/// (r = 0.875 at 600 W). Not a measurement: set it per cluster when better data exist.
inline constexpr double kH100ThroughputExponent = 0.87;

struct ClusterSpec {
  std::string name;
  std::string gpu;              ///< GPU type, e.g. "H100 SXM"
  std::string hall;             ///< the hall it stands in (name, as in facility.halls)
  int count = 0;                ///< GPUs
  int gpus_per_node = 8;        ///< a job wider than one node gets whole nodes
  double power_w = 700.0;       ///< per GPU at load, W (H100 SXM: 700 W)
  double idle_w = 100.0;        ///< per GPU powered on and idle, W
  double pue = 1.0;             ///< of the hall it stands in: grid power = IT power × PUE
  bool tenant = false;          ///< a tenant's GPUs: the facility supplies power and space only
  int contract = -1;            ///< tenant clusters: index of the colocation contract they serve
  double load = 1.0;            ///< tenant clusters: fraction of the GPUs at load (the rest idle)
  double purchase_usd_per_gpu = 0.0;  ///< owned clusters: price per GPU, paid when the cluster arrives
  double depreciation_years = 5.0;    ///< owned clusters: straight-line depreciation period, from arrival
  /// In place from this instant (seconds since the epoch; ≤ 0: at the start). Before it the
  /// cluster draws no power and runs no jobs.
  sim::SimTime arrives_s = 0;
  /// Owned clusters: in place when the conversion of this name completes (instead of a date).
  std::string starts_with;
  /// Taken out at this instant (seconds since the epoch; −1: never), or
  sim::SimTime retires_s = -1;
  /// at this age after arrival (seconds; −1: never). Afterwards no power and no jobs.
  sim::SimTime life_s = -1;
  /// Owned clusters: f_min, the lowest fraction of power_w a busy GPU can be capped to (H100
  /// SXM default, kH100PowerFloorFraction). 1: no capping, only preemption.
  double power_floor_fraction = kH100PowerFloorFraction;
  /// Owned clusters: α in r(f) = f^α, the relative throughput of a GPU capped to the power
  /// fraction f ∈ [f_min, 1] (α ≤ 1: the last watts buy the least work).
  double throughput_exponent = kH100ThroughputExponent;

  /// GPUs a job asking for `gpus` occupies: whole nodes once it spans more than one.
  int allocation(int gpus) const {
    if (gpus <= gpus_per_node) return gpus;
    return (gpus + gpus_per_node - 1) / gpus_per_node * gpus_per_node;
  }
  /// IT power at full load, MW.
  double max_it_mw() const { return count * power_w * 1e-6; }
  /// Grid power at full load, MW (the nameplate a static split reserves).
  double nameplate_mw() const { return max_it_mw() * pue; }
  /// IT power a tenant cluster draws, MW: count × (load × power_w + (1 − load) × idle_w).
  double tenant_it_mw() const { return count * (load * power_w + (1.0 - load) * idle_w) * 1e-6; }
  /// Relative throughput r(f) = f^α of GPUs capped to the power fraction f (1 at f >= 1).
  double throughput(double fraction) const {
    return fraction >= 1.0 ? 1.0 : std::pow(fraction, throughput_exponent);
  }
};

}  // namespace hybridsim::models::ai
