#include "models/ai/gpu_cluster_consumer.hpp"

#include "models/ai/ai_part.hpp"

namespace hybridsim::models::ai {

const std::string& GpuClusterConsumer::name() const { return part_.cluster(cluster_).name; }
const std::string& GpuClusterConsumer::hall() const { return part_.cluster(cluster_).hall; }
double GpuClusterConsumer::power_mw() const { return part_.cluster_power_mw(cluster_); }
double GpuClusterConsumer::max_power_mw() const { return part_.cluster_demand_mw(cluster_); }
double GpuClusterConsumer::nameplate_mw() const { return part_.cluster(cluster_).nameplate_mw(); }
void GpuClusterConsumer::set_power_limit_mw(double limit_mw) { part_.set_cluster_limit_mw(cluster_, limit_mw); }
double GpuClusterConsumer::power_limit_mw() const { return part_.cluster_limit_mw(cluster_); }
double GpuClusterConsumer::value_usd_per_mwh() const { return part_.cluster_value_usd_per_mwh(cluster_); }
bool GpuClusterConsumer::curtailable() const { return !part_.cluster(cluster_).tenant; }
sim::PowerReading GpuClusterConsumer::reading() const { return sim::read_power(*this); }

}  // namespace hybridsim::models::ai
