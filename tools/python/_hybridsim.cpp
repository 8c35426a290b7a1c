// _hybridsim: the compiled half of the `hybridsim` Python package.
//
// Calls the same C++ entry points as the command line (tools/cli): Document + Overrides +
// load_scenario for `run`/`validate`, run_hdf5_image for the result (the file's bytes, built
// in memory by HDF5's core driver), OutputFile for an atomic write, run_sweep_command for
// sweeps, model_rows for the registry. The GIL is released while C++ works, so other Python
// threads run meanwhile. A config::ScenarioError becomes hybridsim.ScenarioError (file, line,
// col, message); any other C++ exception a Python exception (pybind11's translation) — the
// interpreter never dies of a bad scenario.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "models/catalogue.hpp"
#include "sim/config/document.hpp"
#include "sim/config/overrides.hpp"
#include "sim/output/hdf5_writer.hpp"
#include "sim/output/output_file.hpp"
#include "sim/run/scenario.hpp"
#include "sim/run/simulation.hpp"
#include "sim/run/version.hpp"
#include "tools/cli/models_listing.hpp"
#include "tools/cli/sweep_command.hpp"

namespace py = pybind11;
namespace hs = hybridsim::sim;

namespace {

// A scenario as Python gives it: a file path, or YAML text named `origin` in messages.
struct Source {
  std::string scenario;
  bool is_text = false;
  std::string origin;
  std::vector<std::string> sets;    // KEY=VALUE, as --set takes them
  std::vector<std::string> unsets;  // as --unset takes them
  std::optional<std::uint64_t> seed;
};

// The CLI's order: every --unset, then every --set, then the seed.
hs::Scenario load(const Source& s) {
  auto doc = s.is_text ? hs::config::Document::load_string(s.scenario, s.origin)
                       : hs::config::Document::load_file(s.scenario);
  hs::config::Overrides overrides;
  for (const auto& u : s.unsets) overrides.unset(u);
  for (const auto& a : s.sets) overrides.set_option(a);
  overrides.apply(doc);
  return hs::load_scenario(doc, hybridsim::models::plugins(), s.seed);
}

Source source(std::string scenario, bool is_text, std::string origin, std::vector<std::string> sets,
              std::vector<std::string> unsets, std::optional<std::uint64_t> seed) {
  return {std::move(scenario), is_text, std::move(origin), std::move(sets), std::move(unsets), seed};
}

// Runs the scenario; returns the HDF5 file's bytes and writes them to `path` when given.
py::bytes run(const Source& s, const std::string& path) {
  std::vector<char> image;
  {
    py::gil_scoped_release release;
    const hs::Scenario scenario = load(s);
    // As the CLI: the path is checked (and its temporary reserved) before the run.
    std::optional<hs::output::OutputFile> file;
    if (!path.empty()) file.emplace(path, s.is_text ? std::string() : s.scenario);
    hs::Simulation sim(scenario);
    image = hs::output::run_hdf5_image(sim.run());
    if (file) file->commit(image);
  }
  return py::bytes(image.data(), image.size());
}

std::string validate(const Source& s) {
  py::gil_scoped_release release;
  return load(s).name;
}

void sweep(const std::string& scenario, std::optional<std::string> sweep_file, const std::string& output, int jobs,
           std::vector<std::string> sets, std::optional<std::uint64_t> seed, bool resume, bool force, bool progress) {
  hybridsim::tools::SweepCommandOptions o;
  o.scenario = scenario;
  o.sweep_file = std::move(sweep_file);
  o.output = output;
  o.jobs = jobs;
  o.resume = resume;
  o.force = force;
  o.quiet = !progress;
  o.sets = std::move(sets);
  o.seed = seed;
  int code = 0;
  {
    py::gil_scoped_release release;
    code = hybridsim::tools::run_sweep_command(o);
  }
  if (code != 0) throw std::runtime_error("hybridsim sweep ended with exit code " + std::to_string(code));
}

py::list model_rows() {
  py::list out;
  for (const auto& r : hybridsim::tools::model_rows()) {
    py::dict d;
    d["section"] = r.section;
    d["family"] = r.family;
    d["registry"] = r.registry;
    d["model"] = r.model;
    d["model_description"] = r.model_description;
    d["parameter"] = r.parameter;
    d["type"] = r.type;
    d["units"] = r.units;
    d["default"] = r.default_yaml;
    d["required"] = r.required;
    d["accepted"] = r.accepted;
    d["description"] = r.description;
    out.append(d);
  }
  return out;
}

}  // namespace

PYBIND11_MODULE(_hybridsim, m) {
  m.doc() = "hybridsim's C++ core; use the `hybridsim` package, not this module";
  m.attr("version") = hs::kVersion;

  // hybridsim.errors.ScenarioError(message, file, line, col): the message is what the CLI
  // prints (`file:line:col: key: what is wrong; what is accepted`).
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const hs::config::ScenarioError& e) {
      const auto& w = e.where();
      py::object line = w.line > 0 ? py::object(py::int_(w.line)) : py::object(py::none());
      py::object col = w.line > 0 ? py::object(py::int_(w.column)) : py::object(py::none());
      py::object cls = py::module_::import("hybridsim.errors").attr("ScenarioError");
      py::tuple args = py::make_tuple(e.what(), w.origin, line, col, e.message());
      PyErr_SetObject(cls.ptr(), args.ptr());
    }
  });

  py::class_<Source>(m, "Source")
      .def(py::init(&source), py::arg("scenario"), py::arg("is_text"), py::arg("origin"), py::arg("sets"),
           py::arg("unsets"), py::arg("seed"));
  m.def("run", &run, py::arg("source"), py::arg("path") = "",
        "run a scenario; returns the result file's bytes (and writes them to path, if given)");
  m.def("validate", &validate, py::arg("source"), "load and check a scenario; returns its name");
  m.def("sweep", &sweep, py::arg("scenario"), py::arg("sweep_file"), py::arg("output"), py::arg("jobs"),
        py::arg("sets"), py::arg("seed"), py::arg("resume") = false, py::arg("force") = false,
        py::arg("progress") = false, "`hybridsim sweep` into the file `output`");
  m.def("model_rows", &model_rows, "every section's and model's parameters, as `hybridsim models` lists them");
}
