// The one spelling of scenario keys: dots between map keys, list items in brackets.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "sim/config/key_path.hpp"

using hybridsim::sim::config::item_key;
using hybridsim::sim::config::KeyPath;
using hybridsim::sim::config::KeySegment;

namespace {
std::string error_of(const std::string& text) {
  try {
    (void)KeyPath::parse(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("key paths: map keys, indices and names", "[config][key_path]") {
  const KeyPath p = KeyPath::parse("facility.gpu_clusters[cloud].hall");
  REQUIRE(p.segments().size() == 4);
  CHECK(p.segments()[2].kind == KeySegment::Kind::kName);
  CHECK(p.segments()[2].key == "cloud");
  CHECK(p.str() == "facility.gpu_clusters[cloud].hall");
  CHECK(p.str(2) == "facility.gpu_clusters");

  const KeyPath q = KeyPath::parse("facility.gpu_clusters[0].hall");
  CHECK(q.segments()[2].kind == KeySegment::Kind::kIndex);
  CHECK(q.segments()[2].index == 0);
  CHECK(q.str() == "facility.gpu_clusters[0].hall");
  CHECK(KeyPath::parse("a[1][2]").str() == "a[1][2]");
  CHECK(KeyPath::parse("facility.gpu_clusters[H100 SXM].count").segments()[2].key == "H100 SXM");
  CHECK(item_key("facility.halls", 3) == "facility.halls[3]");
}

TEST_CASE("key paths: malformed ones say what is wrong", "[config][key_path]") {
  CHECK(error_of("seed.") == "trailing dot; a key path ends with a key or an item");
  CHECK(error_of(".seed") == "empty key segment (two dots, or a leading dot)");
  CHECK(error_of("world..fees") == "empty key segment (two dots, or a leading dot)");
  CHECK(error_of("") == "empty key; expected a key path like world.btc_price.vol_per_year");
  CHECK(error_of("a[0") == "'[' without a closing ']'");
  CHECK(error_of("a[]") == "empty brackets; expected an index like [0] or a name like [cloud]");
  CHECK(error_of("[0].a") == "a key path starts with a map key, not a list item");
  CHECK(error_of("a[0]b") == "expected '.' or '[' after ']'");
  CHECK(error_of("a.[0]") == "empty key before '[' (write a.b[0], not a.[0])");
  CHECK(error_of("a]") == "']' without an opening '['");
  CHECK(error_of("a.b[0].c").empty());
}
