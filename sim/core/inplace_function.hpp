#pragma once
/// A move-only callable stored inside the object (no heap allocation), for events.
///
/// std::function allocates once a lambda captures more than two pointers; an event engine
/// that schedules millions of callbacks cannot afford that on its hot path. Callables larger
/// than `Capacity` bytes are rejected at compile time, so the cost is never hidden.
#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace hybridsim::sim {

template <typename Signature, std::size_t Capacity = 48>
class InplaceFunction;

template <typename R, typename... Args, std::size_t Capacity>
class InplaceFunction<R(Args...), Capacity> {
 public:
  /// An empty function; calling it is undefined.
  InplaceFunction() noexcept = default;

  /// Stores a copy (or the moved value) of `f` inside this object.
  template <typename F, typename D = std::decay_t<F>,
            typename = std::enable_if_t<!std::is_same_v<D, InplaceFunction>>>
  InplaceFunction(F&& f) {  // NOLINT(google-explicit-constructor): used like std::function
    construct<D>(std::forward<F>(f));
  }

  /// Takes over `other`'s callable; `other` is left empty.
  InplaceFunction(InplaceFunction&& other) noexcept { take(other); }

  /// Destroys the current callable, then takes over `other`'s; `other` is left empty.
  InplaceFunction& operator=(InplaceFunction&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }

  InplaceFunction(const InplaceFunction&) = delete;
  InplaceFunction& operator=(const InplaceFunction&) = delete;
  ~InplaceFunction() { reset(); }

  /// Replaces the callable by one built in place from `f` (no intermediate move).
  template <typename F, typename D = std::decay_t<F>>
  void emplace(F&& f) {
    reset();
    construct<D>(std::forward<F>(f));
  }

  R operator()(Args... args) { return ops_->call(&storage_, std::forward<Args>(args)...); }
  /// True when a callable is stored.
  explicit operator bool() const noexcept { return ops_ != nullptr; }

  /// Destroys the stored callable, if any.
  void reset() noexcept {
    if (ops_) {
      if (ops_->destroy) ops_->destroy(&storage_);
      ops_ = nullptr;
    }
  }

 private:
  // A null `move` means the callable may be moved by copying its bytes, a null `destroy`
  // that it needs no destructor: most lambdas capture only pointers and numbers, and an event
  // engine moves every action at least once, so skipping the indirect calls pays.
  struct Ops {
    R (*call)(void*, Args&&...);
    void (*move)(void* from, void* to) noexcept;
    void (*destroy)(void*) noexcept;
  };

  template <typename D>
  static constexpr bool kTrivial =
      std::is_trivially_copyable_v<D> && std::is_trivially_destructible_v<D>;

  template <typename D>
  static constexpr Ops kOps{
      [](void* p, Args&&... a) -> R { return (*static_cast<D*>(p))(std::forward<Args>(a)...); },
      kTrivial<D> ? nullptr
                  : +[](void* from, void* to) noexcept {
                      ::new (to) D(std::move(*static_cast<D*>(from)));
                      static_cast<D*>(from)->~D();
                    },
      std::is_trivially_destructible_v<D> ? nullptr
                                          : +[](void* p) noexcept { static_cast<D*>(p)->~D(); }};

  template <typename D, typename F>
  void construct(F&& f) {
    static_assert(sizeof(D) <= Capacity, "callable too large for InplaceFunction: capture less");
    static_assert(alignof(D) <= alignof(std::max_align_t), "over-aligned callable");
    static_assert(std::is_nothrow_move_constructible_v<D>, "callable must be nothrow movable");
    ::new (static_cast<void*>(&storage_)) D(std::forward<F>(f));
    ops_ = &kOps<D>;
  }

  // Copying all `Capacity` bytes (a fixed-size copy is a few vector moves) reads the unused
  // tail, which is fine for unsigned char but which GCC reports as maybe-uninitialized.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
  void take(InplaceFunction& other) noexcept {
    ops_ = other.ops_;
    if (!ops_) return;
    if (ops_->move)
      ops_->move(&other.storage_, &storage_);
    else
      std::memcpy(&storage_, &other.storage_, Capacity);
    other.ops_ = nullptr;  // moved-from: nothing left to destroy
  }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

  alignas(std::max_align_t) unsigned char storage_[Capacity];
  const Ops* ops_ = nullptr;
};

}  // namespace hybridsim::sim
