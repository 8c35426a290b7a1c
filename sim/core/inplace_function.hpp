#pragma once
/// A move-only callable stored inside the object (no heap allocation), for events.
///
/// std::function allocates once a lambda captures more than two pointers; an event engine
/// that schedules millions of callbacks cannot afford that on its hot path. Callables larger
/// than `Capacity` bytes are rejected at compile time, so the cost is never hidden.
#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace hybridsim::sim {

template <typename Signature, std::size_t Capacity = 48>
class InplaceFunction;

template <typename R, typename... Args, std::size_t Capacity>
class InplaceFunction<R(Args...), Capacity> {
 public:
  InplaceFunction() noexcept = default;

  template <typename F, typename D = std::decay_t<F>,
            typename = std::enable_if_t<!std::is_same_v<D, InplaceFunction>>>
  InplaceFunction(F&& f) {  // NOLINT(google-explicit-constructor): used like std::function
    static_assert(sizeof(D) <= Capacity, "callable too large for InplaceFunction: capture less");
    static_assert(alignof(D) <= alignof(std::max_align_t), "over-aligned callable");
    static_assert(std::is_nothrow_move_constructible_v<D>, "callable must be nothrow movable");
    ::new (static_cast<void*>(&storage_)) D(std::forward<F>(f));
    ops_ = &kOps<D>;
  }

  InplaceFunction(InplaceFunction&& other) noexcept : ops_(other.ops_) {
    if (ops_) ops_->move(&other.storage_, &storage_);
    other.reset();
  }

  InplaceFunction& operator=(InplaceFunction&& other) noexcept {
    if (this != &other) {
      reset();
      ops_ = other.ops_;
      if (ops_) ops_->move(&other.storage_, &storage_);
      other.reset();
    }
    return *this;
  }

  InplaceFunction(const InplaceFunction&) = delete;
  InplaceFunction& operator=(const InplaceFunction&) = delete;
  ~InplaceFunction() { reset(); }

  R operator()(Args... args) { return ops_->call(&storage_, std::forward<Args>(args)...); }
  explicit operator bool() const noexcept { return ops_ != nullptr; }

  void reset() noexcept {
    if (ops_) {
      ops_->destroy(&storage_);
      ops_ = nullptr;
    }
  }

 private:
  struct Ops {
    R (*call)(void*, Args&&...);
    void (*move)(void* from, void* to) noexcept;
    void (*destroy)(void*) noexcept;
  };

  template <typename D>
  static constexpr Ops kOps{
      [](void* p, Args&&... a) -> R { return (*static_cast<D*>(p))(std::forward<Args>(a)...); },
      [](void* from, void* to) noexcept {
        ::new (to) D(std::move(*static_cast<D*>(from)));
        static_cast<D*>(from)->~D();
      },
      [](void* p) noexcept { static_cast<D*>(p)->~D(); }};

  alignas(std::max_align_t) unsigned char storage_[Capacity];
  const Ops* ops_ = nullptr;
};

}  // namespace hybridsim::sim
