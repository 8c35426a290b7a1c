#pragma once
/// The engine's pending-event order: a 4-ary implicit min-heap of 16-byte keys.
///
/// A key packs everything the order needs into one unsigned 128-bit integer, so a comparison
/// is a single wide compare and sifting never looks anywhere but the heap itself:
///
///     bits 127..80  time (0 .. 2^48-1 seconds)
///     bits  79..64  priority + 32768
///     bits  63..32  insertion sequence (unique while the key is in the heap)
///     bits  31..0   tag: the slot index, plus a flag in bit 31 for recurring events
///                   (never decides the order: sequences are unique)
///
/// Four children share one 64-byte cache line (the array is offset to make them), so each
/// level of a sift costs one line, and the heap is half as deep as a binary one.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

namespace hybridsim::sim {

__extension__ typedef unsigned __int128 EventKey;  // NOLINT: __int128 has no standard spelling

namespace event_key {
inline constexpr int kPriorityBias = 1 << 15;
inline constexpr std::int64_t kMaxTime = (std::int64_t{1} << 48) - 1;

inline constexpr std::uint32_t kRecurring = 1u << 31;
inline constexpr std::uint32_t kMaxSlot = kRecurring - 1;

/// `time` in [0, kMaxTime], `priority` in [-32768, 32767]: the caller checks.
inline EventKey make(std::int64_t time, int priority, std::uint32_t sequence, std::uint32_t tag) {
  const std::uint64_t hi = (static_cast<std::uint64_t>(time) << 16) |
                           static_cast<std::uint64_t>(priority + kPriorityBias);
  const std::uint64_t lo = (static_cast<std::uint64_t>(sequence) << 32) | tag;
  return (static_cast<EventKey>(hi) << 64) | lo;
}
inline std::int64_t time(EventKey k) { return static_cast<std::int64_t>(k >> 80); }
inline int priority(EventKey k) {
  return static_cast<int>(static_cast<std::uint16_t>(k >> 64)) - kPriorityBias;
}
inline std::uint32_t sequence(EventKey k) { return static_cast<std::uint32_t>(k >> 32); }
inline std::uint32_t tag(EventKey k) { return static_cast<std::uint32_t>(k); }
inline std::uint32_t slot(EventKey k) { return tag(k) & kMaxSlot; }
inline bool recurring(EventKey k) { return (tag(k) & kRecurring) != 0; }
}  // namespace event_key

class EventQueue {
 public:
  EventQueue() = default;
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;
  ~EventQueue() { release(); }

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  /// The smallest key; the queue must not be empty.
  EventKey top() const { return data_[0]; }

  /// Makes room for one more key, so that the next push cannot throw.
  void reserve_one() {
    if (size_ == capacity_) [[unlikely]] grow();
  }

  void push(EventKey key) {
    reserve_one();
    push_reserved(key);
  }

  /// push() after reserve_one(): cannot throw.
  void push_reserved(EventKey key) noexcept {
    std::size_t i = size_++;
    while (i > 0) {
      const std::size_t parent = (i - 1) >> 2;
      if (!(key < data_[parent])) break;
      data_[i] = data_[parent];
      i = parent;
    }
    data_[i] = key;
  }

  /// Removes the smallest key; the queue must not be empty.
  void pop() {
    const std::size_t n = --size_;
    if (n == 0) return;
    const EventKey last = data_[n];
    // Bottom-up: walk the hole down along the smaller children to a leaf without comparing
    // against `last` (which came from the bottom and almost always goes back there), then
    // sift `last` up from that leaf. Three compares per level instead of four.
    std::size_t hole = 0;
    std::size_t child = 1;
    while (child + 3 < n) {
      // The next level's lines are known before this level's compares resolve: fetching
      // all four hides most of the dependent-load latency that otherwise dominates a pop.
      const std::size_t grandchild = 4 * child + 1;
      if (grandchild < n) {
        __builtin_prefetch(data_ + grandchild);
        __builtin_prefetch(data_ + grandchild + 4);
        __builtin_prefetch(data_ + grandchild + 8);
        __builtin_prefetch(data_ + grandchild + 12);
      }
      // Branch-free selection (which child is smallest is a coin toss no predictor learns):
      // compare in registers, pick the index with a mask, then reload the winner from L1.
      const EventKey k0 = data_[child], k1 = data_[child + 1];
      const EventKey k2 = data_[child + 2], k3 = data_[child + 3];
      const std::size_t ia = k1 < k0;
      const std::size_t ib = 2 + (k3 < k2);
      const EventKey ka = ia ? k1 : k0;
      const EventKey kb = ib == 3 ? k3 : k2;
      const std::size_t take_b = 0 - static_cast<std::size_t>(kb < ka);
      const std::size_t m = child + (ia ^ ((ia ^ ib) & take_b));
      data_[hole] = data_[m];
      hole = m;
      child = 4 * m + 1;
    }
    if (child < n) {
      std::size_t m = child;
      for (std::size_t c = child + 1; c < n; ++c)
        if (data_[c] < data_[m]) m = c;
      data_[hole] = data_[m];
      hole = m;
    }
    while (hole > 0) {
      const std::size_t parent = (hole - 1) >> 2;
      if (!(last < data_[parent])) break;
      data_[hole] = data_[parent];
      hole = parent;
    }
    data_[hole] = last;
  }

  /// Keeps only the keys for which `keep(key)` holds, then restores the heap order.
  template <typename Keep>
  void retain(Keep&& keep) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < size_; ++i)
      if (keep(data_[i])) data_[kept++] = data_[i];
    size_ = kept;
    heapify();
  }

  /// Sorts the keys ascending (a sorted array is a valid heap) and lets `rewrite(key)` give
  /// each its replacement, which must keep the sorted order.
  template <typename Rewrite>
  void sort_and_rewrite(Rewrite&& rewrite) {
    std::sort(data_, data_ + size_);
    for (std::size_t i = 0; i < size_; ++i) data_[i] = rewrite(data_[i]);
  }

  void clear() { size_ = 0; }

 private:
  // data_[0] sits 3 keys past a 64-byte boundary, so children 4i+1..4i+4 share a line.
  static constexpr std::size_t kOffset = 3;
  static constexpr std::align_val_t kAlign{64};

  void heapify() {
    if (size_ < 2) return;
    for (std::size_t i = (size_ - 2) / 4 + 1; i-- > 0;) sift_down(i);
  }

  void sift_down(std::size_t i) {
    const EventKey key = data_[i];
    for (;;) {
      const std::size_t first = 4 * i + 1;
      if (first >= size_) break;
      std::size_t m = first;
      const std::size_t end = std::min(first + 4, size_);
      for (std::size_t c = first + 1; c < end; ++c)
        if (data_[c] < data_[m]) m = c;
      if (!(data_[m] < key)) break;
      data_[i] = data_[m];
      i = m;
    }
    data_[i] = key;
  }

  [[gnu::noinline]] void grow() {
    const std::size_t capacity = capacity_ == 0 ? 256 : 2 * capacity_;
    void* raw = ::operator new((capacity + kOffset) * sizeof(EventKey), kAlign);
    EventKey* data = static_cast<EventKey*>(raw) + kOffset;
    if (size_ > 0) std::memcpy(data, data_, size_ * sizeof(EventKey));
    release();
    data_ = data;
    capacity_ = capacity;
  }

  void release() {
    if (data_ != nullptr) ::operator delete(data_ - kOffset, kAlign);
    data_ = nullptr;
  }

  EventKey* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace hybridsim::sim
