#pragma once
/// The two kinds of error: the user's input is wrong (ScenarioError, exit 2), or the program
/// is (anything else, exit 1). A ScenarioError always says where and what is accepted.
#include <stdexcept>
#include <string>

namespace hybridsim::sim::config {

/// Where a value came from: a file position (1-based line and column) or a command-line
/// override (`line` = 0, `origin` names the option).
struct Location {
  std::string origin;  ///< file path, or e.g. "--set world.fees.share=2"
  int line = 0;        ///< 1-based; 0 when the value came from the command line
  int column = 0;      ///< 1-based

  /// `file:line:col` or the command-line origin.
  std::string to_string() const;
};

/// The scenario (or a command-line override) is invalid. what() is
/// `file:line:col: message`, where the message names the key and what is accepted.
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(Location where, const std::string& message);
  const Location& where() const { return where_; }
  const std::string& message() const { return message_; }

 private:
  Location where_;
  std::string message_;
};

}  // namespace hybridsim::sim::config
