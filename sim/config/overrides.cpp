#include "sim/config/overrides.hpp"

#include "sim/config/document.hpp"
#include "sim/config/errors.hpp"

namespace hybridsim::sim::config {

void Overrides::set(const std::string& key, const YAML::Node& value, std::string origin) {
  if (origin.empty()) {
    YAML::Emitter e;
    e.SetMapFormat(YAML::Flow);
    e.SetSeqFormat(YAML::Flow);
    e << value;
    origin = "--set " + key + "=" + e.c_str();
  }
  ops_.push_back(Op{false, key, value, std::move(origin)});
}

void Overrides::unset(const std::string& key, std::string origin) {
  if (origin.empty()) origin = "--unset " + key;
  ops_.push_back(Op{true, key, YAML::Node(), std::move(origin)});
}

void Overrides::set_option(const std::string& assignment) {
  const std::string option = "--set " + assignment;
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ScenarioError(Location{option}, "expected --set KEY=VALUE, e.g. --set world.btc_price.vol_per_year=0.7");
  const std::string text = assignment.substr(eq + 1);
  YAML::Node value;
  try {
    value = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ScenarioError(Location{option}, "the value is not valid YAML (" + e.msg +
                                              "); expected a scalar, a list like [8, 64] or a map like {model: csv}");
  }
  if (!value.IsDefined() || value.IsNull())
    throw ScenarioError(Location{option}, "no value; to delete a key use --unset " + assignment.substr(0, eq) +
                                              ", for an empty string write '\"\"'");
  ops_.push_back(Op{false, assignment.substr(0, eq), value, option});
}

void Overrides::apply(Document& doc) const {
  for (const Op& op : ops_) {
    KeyPath path;
    try {
      path = KeyPath::parse(op.key);
    } catch (const std::invalid_argument& e) {
      throw ScenarioError(Location{op.origin}, std::string("'") + op.key + "': " + e.what());
    }
    if (op.remove)
      doc.unset(path, op.origin);
    else
      doc.set(path, op.value, op.origin);
  }
}

}  // namespace hybridsim::sim::config
