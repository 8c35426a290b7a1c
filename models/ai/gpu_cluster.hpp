#pragma once
/// A GPU cluster: identical GPUs in one hall, owned by the facility or by a tenant.
#include <string>

namespace hybridsim::models::ai {

struct ClusterSpec {
  std::string name;
  std::string gpu;              ///< GPU type, e.g. "H100 SXM"
  int count = 0;                ///< GPUs
  int gpus_per_node = 8;        ///< a job wider than one node gets whole nodes
  double power_w = 700.0;       ///< per GPU at load, W (H100 SXM: 700 W)
  double idle_w = 100.0;        ///< per GPU powered on and idle, W
  std::string hall;             ///< name of the hall it stands in
  double pue = 1.0;             ///< of the hall it stands in: grid power = IT power × PUE
  bool tenant = false;          ///< a tenant's GPUs: the facility supplies power and space only
  int contract = -1;            ///< tenant clusters: index of the colocation contract they serve
  double load = 1.0;            ///< tenant clusters: fraction of the GPUs at load (the rest idle)
  double purchase_usd_per_gpu = 0.0;  ///< owned clusters: price paid at the epoch
  double depreciation_years = 5.0;    ///< owned clusters: straight-line depreciation period

  /// GPUs a job asking for `gpus` occupies: whole nodes once it spans more than one.
  int allocation(int gpus) const {
    if (gpus <= gpus_per_node) return gpus;
    return (gpus + gpus_per_node - 1) / gpus_per_node * gpus_per_node;
  }
  /// IT power at full load, MW.
  double max_it_mw() const { return count * power_w * 1e-6; }
  /// IT power a tenant cluster draws, MW: count × (load × power_w + (1 − load) × idle_w).
  double tenant_it_mw() const { return count * (load * power_w + (1.0 - load) * idle_w) * 1e-6; }
};

}  // namespace hybridsim::models::ai
