#pragma once
/// Progress of a sweep on stderr: on a terminal a bar redrawn in place with members done,
/// the rate and the time left; otherwise (a log file, a batch system) a plain line every
/// `plain_every_s` seconds and one at the end.
#include <chrono>
#include <cstdint>
#include <cstdio>

namespace hybridsim::sweep {

class Progress {
 public:
  /// `total` members to run now; `out` is where to draw (null: nowhere), `terminal` whether it is one.
  Progress(std::int64_t total, std::FILE* out, bool terminal, double plain_every_s = 10.0);
  /// One more member done (called by the writer thread only).
  void advance();
  /// The final line.
  void finish();

 private:
  void draw(bool last);
  std::int64_t total_, done_ = 0;
  std::FILE* out_;
  bool terminal_;
  double plain_every_s_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace hybridsim::sweep
