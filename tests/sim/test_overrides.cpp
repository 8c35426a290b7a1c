// --set / --unset / config::Overrides on a Document, and `extends:` between scenario files.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "sim/config/document.hpp"
#include "sim/config/overrides.hpp"

namespace fs = std::filesystem;
using hybridsim::sim::config::Document;
using hybridsim::sim::config::Overrides;
using hybridsim::sim::config::ScenarioError;

namespace {

const std::string kText =
    "name: t\n"                                                      // 1
    "world:\n"                                                       // 2
    "  btc_price: {model: gbm, initial_usd: 1, vol_per_year: 0.5}\n"  // 3
    "facility:\n"                                                    // 4
    "  gpu_clusters:\n"                                              // 5
    "    - {name: cloud, hall: hpc, count: 8}\n"                     // 6
    "    - {name: tenant, hall: hpc, count: 16}\n"                   // 7
    "  jobs: {gpus: {choices: [1, 2]}}\n";                           // 8

Document doc() { return Document::load_string(kText, "t.yaml"); }

std::string set_error(const std::string& assignment) {
  Document d = doc();
  try {
    d.set(assignment);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

std::string unset_error(const std::string& key) {
  Document d = doc();
  try {
    d.unset(key);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

// A fresh folder under the system temporary folder for scenario files.
fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("hybridsim_test_overrides_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

}  // namespace

TEST_CASE("set: parses its value as YAML: lists and whole maps", "[config][overrides]") {
  Document d = doc();
  d.set("facility.jobs.gpus.choices=[8, 64]");
  const YAML::Node choices = d.root()["facility"]["jobs"]["gpus"]["choices"];
  REQUIRE(choices.IsSequence());
  CHECK(choices.size() == 2);
  CHECK(choices[1].as<int>() == 64);

  d.set("world.btc_price={model: csv, path: p.csv}");
  const YAML::Node price = d.root()["world"]["btc_price"];
  CHECK(price.size() == 2);  // replaced whole: gbm's keys are gone
  CHECK(price["model"].Scalar() == "csv");
  CHECK(!price["vol_per_year"].IsDefined());
  CHECK(d.locate(price["path"]).to_string() == "--set world.btc_price={model: csv, path: p.csv}");
  CHECK(d.locate(d.root()["name"]).to_string() == "t.yaml:1:7");
}

TEST_CASE("set: addresses list items by index or by name", "[config][overrides]") {
  Document d = doc();
  d.set("facility.gpu_clusters[tenant].count=32");
  d.set("facility.gpu_clusters[0].hall=gpu");
  CHECK(d.root()["facility"]["gpu_clusters"][1]["count"].as<int>() == 32);
  CHECK(d.root()["facility"]["gpu_clusters"][0]["hall"].Scalar() == "gpu");
  d.set("facility.gpu_clusters[1]={name: other, hall: hpc, count: 1}");
  CHECK(d.root()["facility"]["gpu_clusters"][1]["name"].Scalar() == "other");
  d.set("world.new_key.deeper=3");  // missing maps are created
  CHECK(d.root()["world"]["new_key"]["deeper"].as<int>() == 3);
  CHECK(d.locate(d.root()["world"]["new_key"]).to_string() == "--set world.new_key.deeper=3");
}

TEST_CASE("set and unset: errors name the option and use the canonical spelling", "[config][overrides][errors]") {
  CHECK(set_error("seed.=5") == "--set seed.=5: 'seed.': trailing dot; a key path ends with a key or an item");
  CHECK(set_error("world..x=5") == "--set world..x=5: 'world..x': empty key segment (two dots, or a leading dot)");
  CHECK(set_error("facility.gpu_clusters.0.hall=x") ==
        "--set facility.gpu_clusters.0.hall=x: 'facility.gpu_clusters' is a list, not a map: address its items as "
        "facility.gpu_clusters[0] or facility.gpu_clusters[NAME] (by their name), not '.0'");
  CHECK(set_error("facility.gpu_clusters[clod].hall=x") ==
        "--set facility.gpu_clusters[clod].hall=x: 'facility.gpu_clusters' has no item named 'clod'; expected a "
        "name (cloud, tenant) or an index 0..1");
  CHECK(set_error("facility.gpu_clusters[2].hall=x") ==
        "--set facility.gpu_clusters[2].hall=x: 'facility.gpu_clusters' is a list of 2 items; expected an index "
        "0..1, got [2]");
  CHECK(set_error("name.x=1") == "--set name.x=1: 'name' is a value, not a map: there is no 'x' inside it");
  CHECK(set_error("world[0]=1") == "--set world[0]=1: 'world' is a map, not a list: there is no item [0] in it");
  CHECK(set_error("name=") == "--set name=: no value; to delete a key use --unset name, for an empty string write '\"\"'");
  CHECK(set_error("=5") == "--set =5: expected --set KEY=VALUE, e.g. --set world.btc_price.vol_per_year=0.7");
  CHECK(set_error("world.x={a: 1") ==
        "--set world.x={a: 1: the value is not valid YAML (end of map flow not found); expected a scalar, a list "
        "like [8, 64] or a map like {model: csv}");
  CHECK(unset_error("world.btc_price.volatility") ==
        "--unset world.btc_price.volatility: no key 'volatility' in 'world.btc_price'; keys there: model, "
        "initial_usd, vol_per_year");
  CHECK(unset_error("nothing") == "--unset nothing: no key 'nothing' in the top level; keys there: name, world, facility");
  CHECK(unset_error("facility.gpu_clusters[x]") ==
        "--unset facility.gpu_clusters[x]: 'facility.gpu_clusters' has no item named 'x'; expected a name (cloud, "
        "tenant) or an index 0..1");
}

TEST_CASE("unset: deletes keys and list items", "[config][overrides]") {
  Document d = doc();
  d.unset("world.btc_price.vol_per_year");
  CHECK(!d.root()["world"]["btc_price"]["vol_per_year"].IsDefined());
  CHECK(d.root()["world"]["btc_price"].size() == 2);
  d.unset("facility.gpu_clusters[cloud]");
  REQUIRE(d.root()["facility"]["gpu_clusters"].size() == 1);
  CHECK(d.root()["facility"]["gpu_clusters"][0]["name"].Scalar() == "tenant");
  d.unset("facility.jobs");
  CHECK(!d.root()["facility"]["jobs"].IsDefined());
}

TEST_CASE("Overrides: one list of operations applies to many documents independently", "[config][overrides]") {
  Overrides o;
  o.set("world.btc_price", YAML::Load("{model: constant, initial_usd: 5}"), "sweep member 3");
  o.unset("facility.gpu_clusters[tenant]");
  Document a = doc();
  Document b = doc();
  o.apply(a);
  a.root()["world"]["btc_price"]["written_by_loading"] = 1;  // loading writes defaults into the tree
  o.apply(b);
  CHECK(!b.root()["world"]["btc_price"]["written_by_loading"].IsDefined());
  CHECK(b.root()["facility"]["gpu_clusters"].size() == 1);
  CHECK(b.locate(b.root()["world"]["btc_price"]["initial_usd"]).to_string() == "sweep member 3");

  Overrides bad;
  bad.set("seed.", YAML::Node(3));
  Document c = doc();
  CHECK_THROWS_WITH(bad.apply(c), "--set seed.=3: 'seed.': trailing dot; a key path ends with a key or an item");
}

TEST_CASE("extends: maps merge, lists and values are replaced, positions stay in their file", "[config][extends]") {
  const fs::path dir = scratch("merge");
  write(dir / "base.yaml", kText);
  write(dir / "child.yaml",
        "extends: base.yaml\n"                      // 1
        "name: child\n"                             // 2
        "world:\n"                                  // 3
        "  btc_price: {vol_per_year: 0.7}\n"        // 4
        "facility:\n"                               // 5
        "  gpu_clusters: [{name: solo, count: 2}]\n");  // 6
  const Document d = Document::load_file((dir / "child.yaml").string());
  const YAML::Node& root = d.root();
  CHECK(!root["extends"].IsDefined());
  CHECK(root["name"].Scalar() == "child");
  CHECK(root["world"]["btc_price"]["model"].Scalar() == "gbm");
  CHECK(root["world"]["btc_price"]["vol_per_year"].Scalar() == "0.7");
  REQUIRE(root["facility"]["gpu_clusters"].size() == 1);
  CHECK(root["facility"]["gpu_clusters"][0]["name"].Scalar() == "solo");
  CHECK(root["facility"]["jobs"]["gpus"]["choices"].size() == 2);
  CHECK(d.locate(root["world"]["btc_price"]["initial_usd"]).to_string() == (dir / "base.yaml").string() + ":3:40");
  CHECK(d.locate(root["world"]["btc_price"]["vol_per_year"]).to_string() == (dir / "child.yaml").string() + ":4:29");
  CHECK(d.origin() == (dir / "child.yaml").string());
}

TEST_CASE("extends: chains, cycles and missing files", "[config][extends][errors]") {
  const fs::path dir = scratch("chain");
  write(dir / "a.yaml", "extends: b.yaml\nname: a\n");
  write(dir / "b.yaml", "extends: sub/c.yaml\nseed: 5\n");
  fs::create_directories(dir / "sub");
  write(dir / "sub" / "c.yaml", "name: c\nseed: 1\nstart: 2024-01-01\n");
  const Document d = Document::load_file((dir / "a.yaml").string());
  CHECK(d.root()["name"].Scalar() == "a");
  CHECK(d.root()["seed"].Scalar() == "5");
  CHECK(d.locate(d.root()["start"]).to_string() == (dir / "b.yaml").parent_path().string() + "/sub/c.yaml:3:8");

  write(dir / "x.yaml", "extends: y.yaml\nname: x\n");
  write(dir / "y.yaml", "extends: x.yaml\nname: y\n");
  CHECK_THROWS_WITH(Document::load_file((dir / "x.yaml").string()),
                    (dir / "y.yaml").string() +
                        ":1:10: extends: 'x.yaml' is already in this chain of scenarios (x.yaml -> y.yaml -> x.yaml); "
                        "a scenario may not extend itself");
  write(dir / "self.yaml", "extends: self.yaml\n");
  CHECK_THROWS_WITH(Document::load_file((dir / "self.yaml").string()),
                    Catch::Contains("a scenario may not extend itself"));
  write(dir / "lost.yaml", "name: lost\nextends: nowhere.yaml\n");
  CHECK_THROWS_WITH(Document::load_file((dir / "lost.yaml").string()),
                    (dir / "lost.yaml").string() + ":2:10: extends: cannot open '" + (dir / "nowhere.yaml").string() +
                        "'; expected the path of a scenario file, relative to this one");
  write(dir / "list.yaml", "extends: [a.yaml]\n");
  CHECK_THROWS_WITH(Document::load_file((dir / "list.yaml").string()),
                    (dir / "list.yaml").string() +
                        ":1:10: extends: expected the path of a scenario file (relative to this one), got a list");
}
