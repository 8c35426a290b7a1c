#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <utility>

#include "sim/core/inplace_function.hpp"

using hybridsim::sim::InplaceFunction;

namespace {
// Counts live instances, so a test can tell every construction was matched by a destruction.
struct Tracker {
  static inline int alive = 0;
  static inline int moves = 0;
  int value;
  explicit Tracker(int v) : value(v) { ++alive; }
  Tracker(const Tracker& o) : value(o.value) { ++alive; }
  Tracker(Tracker&& o) noexcept : value(o.value) {
    ++alive;
    ++moves;
  }
  ~Tracker() { --alive; }
};
}  // namespace

TEST_CASE("inplace_function: calls with arguments and returns", "[inplace_function]") {
  InplaceFunction<int(int, int)> add = [](int a, int b) { return a + b; };
  CHECK(add(2, 3) == 5);
  std::string s;
  InplaceFunction<void(const std::string&)> append = [&s](const std::string& x) { s += x; };
  append("ab");
  append("c");
  CHECK(s == "abc");
  InplaceFunction<void()> empty;
  CHECK_FALSE(empty);
}

TEST_CASE("inplace_function: move leaves the source empty and keeps one callable",
          "[inplace_function]") {
  Tracker::alive = 0;
  {
    InplaceFunction<int()> a = [t = Tracker{7}] { return t.value; };
    CHECK(Tracker::alive == 1);
    InplaceFunction<int()> b = std::move(a);
    CHECK_FALSE(a);  // NOLINT(bugprone-use-after-move): checking the moved-from state
    REQUIRE(b);
    CHECK(b() == 7);
    CHECK(Tracker::alive == 1);

    InplaceFunction<int()> c = [t = Tracker{9}] { return t.value; };
    CHECK(Tracker::alive == 2);
    c = std::move(b);  // destroys c's tracker, takes b's
    CHECK(Tracker::alive == 1);
    CHECK(c() == 7);
    CHECK_FALSE(b);  // NOLINT(bugprone-use-after-move)

    c = std::move(c);  // self-move keeps the callable
    CHECK(c() == 7);
    c.reset();
    CHECK_FALSE(c);
    CHECK(Tracker::alive == 0);
  }
  CHECK(Tracker::alive == 0);
}

TEST_CASE("inplace_function: every construction is matched by a destruction",
          "[inplace_function]") {
  Tracker::alive = 0;
  {
    Tracker t{1};
    InplaceFunction<int()> copy = [t] { return t.value; };  // copies the lvalue
    InplaceFunction<int()> moved = [t = std::move(t)] { return t.value + 1; };
    CHECK(Tracker::alive == 3);
    moved = std::move(copy);
    CHECK(Tracker::alive == 2);
    moved.emplace([u = Tracker{5}] { return u.value; });
    CHECK(moved() == 5);
    CHECK(Tracker::alive == 2);
  }
  CHECK(Tracker::alive == 0);
}

TEST_CASE("inplace_function: trivially copyable callables move by copying bytes",
          "[inplace_function]") {
  int x = 3;
  double y = 0.5;
  InplaceFunction<double()> a = [&x, y] { return x + y; };
  InplaceFunction<double()> b = std::move(a);
  CHECK_FALSE(a);  // NOLINT(bugprone-use-after-move)
  x = 4;
  CHECK(b() == 4.5);
}

TEST_CASE("inplace_function: holds move-only callables", "[inplace_function]") {
  auto p = std::make_unique<int>(41);
  InplaceFunction<int()> f = [p = std::move(p)] { return *p + 1; };
  InplaceFunction<int()> g = std::move(f);
  CHECK(g() == 42);
  std::weak_ptr<int> watch;
  {
    auto shared = std::make_shared<int>(1);
    watch = shared;
    InplaceFunction<void()> h = [shared] {};
    InplaceFunction<void()> k = std::move(h);
  }
  CHECK(watch.expired());
}
