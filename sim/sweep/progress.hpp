#pragma once
/// Progress on stderr, for a sweep (members done) or a single run (simulated time): on a
/// terminal a bar redrawn in place with the figures and the time left; otherwise (a log file,
/// a batch system) a plain line every `plain_every_s` seconds and one at the end. With a
/// delay, nothing is drawn until the work has taken that long, and a quick job prints nothing.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

namespace hybridsim::sweep {

class Progress {
 public:
  /// `total` units of work to do now (members, or simulated seconds); `out` is where to draw
  /// (null: nowhere), `terminal` whether it is one. `label` starts plain lines ("sweep: ...").
  Progress(std::int64_t total, std::FILE* out, bool terminal, double plain_every_s = 10.0, std::string label = "sweep",
           double delay_s = 0.0);
  /// One more member done (called by the writer thread only).
  void advance();
  /// `done` units done so far; `detail` (called only when a line is drawn, the last one
  /// given also by finish()) describes where the work is, e.g. "2031-04-05 UTC, 1.20 M events/s".
  void update(std::int64_t done, std::function<std::string()> detail);
  /// The final line (none if nothing was drawn yet and the delay has not passed).
  void finish();

 private:
  void maybe_draw();
  void draw(bool last);
  std::int64_t total_, done_ = 0;
  std::FILE* out_;
  bool terminal_;
  double plain_every_s_;
  std::string label_;
  double delay_s_;
  bool drawn_ = false;
  std::function<std::string()> detail_;  // the last given to update()
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace hybridsim::sweep
