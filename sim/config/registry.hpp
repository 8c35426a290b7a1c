#pragma once
/// A registry of the implementations of one model family, chosen by name in the scenario.
///
/// Registration is an explicit call (`register_*()`), not static self-registration, which a
/// linker may drop from a static library. Each entry carries its parameter declarations, so
/// `hybridsim models` lists exactly what the loader accepts.
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/config/document.hpp"
#include "sim/config/near_names.hpp"
#include "sim/config/params.hpp"

namespace hybridsim::sim::config {

/// What a family or a section is, for listings: name, description, parameters.
struct ModelInfo {
  std::string name;
  std::string description;  ///< one or two lines; the formula lives in the class's doc comment
  std::vector<ParamSpec> params;
};

template <typename Interface>
class Registry {
 public:
  using Factory = std::function<std::unique_ptr<Interface>(const Params&)>;
  struct Entry {
    ModelInfo info;
    Factory make;
  };

  /// `family` is the YAML key the models are chosen under, e.g. "btc_price".
  Registry(std::string family, std::string description)
      : family_(std::move(family)), description_(std::move(description)) {}

  void add(ModelInfo info, Factory make) {
    if (find(info.name)) throw std::logic_error("model registered twice: " + family_ + "/" + info.name);
    entries_.push_back(Entry{std::move(info), std::move(make)});
  }

  const Entry* find(const std::string& name) const {
    for (const auto& e : entries_)
      if (e.info.name == name) return &e;
    return nullptr;
  }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : entries_) out.push_back(e.info.name);
    return out;
  }

  const std::vector<Entry>& entries() const { return entries_; }
  const std::string& family() const { return family_; }
  const std::string& description() const { return description_; }

 private:
  std::string family_;
  std::string description_;
  std::vector<Entry> entries_;
};

/// A model chosen in the scenario: the registry entry and its validated parameters.
/// Runs build fresh instances from it (models keep per-run state).
template <typename Interface>
struct ModelChoice {
  const typename Registry<Interface>::Entry* entry = nullptr;
  Params params;

  std::unique_ptr<Interface> make() const { return entry->make(params); }
  const std::string& name() const { return entry->info.name; }
};

/// Reads `{model: NAME, ...params}` at `path`: an unknown or missing name lists the valid ones.
/// Validating here also constructs the model once, so constraints a model checks in its
/// constructor are reported by `hybridsim validate` too.
template <typename Interface>
ModelChoice<Interface> read_model(const Document& doc, const YAML::Node& map, const std::string& path,
                                  const Registry<Interface>& registry, const BuildContext& context) {
  if (!map.IsMap())
    throw ScenarioError(doc.locate(map), path + ": expected a map with 'model: NAME' (one of: " +
                                             join(registry.names()) + "), got " + describe(map));
  const YAML::Node name_node = map["model"];
  if (!name_node.IsDefined() || name_node.IsNull())
    throw ScenarioError(doc.locate(map), path + ": missing key 'model'; valid models: " + join(registry.names()));
  if (!name_node.IsScalar())
    throw ScenarioError(doc.locate(name_node), path + ".model: expected a name, got " + describe(name_node));
  const auto* entry = registry.find(name_node.Scalar());
  if (!entry)
    throw ScenarioError(doc.locate(name_node), path + ".model: unknown model '" + name_node.Scalar() + "'" +
                                                   did_you_mean(name_node.Scalar(), registry.names()) +
                                                   "; valid models: " + join(registry.names()));
  ModelChoice<Interface> choice{entry, read_params(doc, map, path, entry->info.params, context, {"model"})};
  (void)choice.make();
  return choice;
}

}  // namespace hybridsim::sim::config
