#!/usr/bin/env bash
# Installs what hybridsim needs (Debian 12 packages only) and builds it.
#   tools/setup.sh                 Release build into build/
#   tools/setup.sh --sanitize      Debug build with AddressSanitizer + UBSan into build-asan/
#   tools/setup.sh --fuzz          the libFuzzer harness with clang-14 into build-fuzz/ (tools/fuzz.sh)
# The Release build also makes the Python package (build/python/hybridsim); run as root, the
# script points Debian's python3 at it with a .pth file, so `import hybridsim` needs no set-up.
# Safe to run again: it installs only what is missing and rebuilds only what changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

packages=(
  g++ cmake ninja-build pkg-config git
  libboost-dev libeigen3-dev libyaml-cpp-dev libhdf5-dev hdf5-tools catch2 libcli11-dev libfmt-dev
  libopenmpi-dev openmpi-bin
  python3-h5py python3-numpy python3-pandas python3-xarray python3-h5netcdf python3-pytest python3-matplotlib
  python3-yaml pybind11-dev python3-pybind11
  jupyter-nbconvert python3-nbconvert python3-nbformat python3-ipykernel python3-matplotlib-inline
)
# clang and libFuzzer only for the fuzzing build.
[[ ${1:-} == --fuzz ]] && packages+=(clang-14 libfuzzer-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build=build
flags=(-DCMAKE_BUILD_TYPE=Release)
if [[ ${1:-} == --sanitize ]]; then
  build=build-asan
  # Without the Python module (an ASan module cannot load into Debian's interpreter) and without
  # MPI (OpenMPI's own allocations at finalize are reported as leaks): the Release pass tests both.
  flags=(-DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -fno-omit-frame-pointer -O1"
         -DHYBRIDSIM_PYTHON=OFF -DHYBRIDSIM_WITH_MPI=OFF)
fi
if [[ ${1:-} == --fuzz ]]; then
  build=build-fuzz
  sanitize="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
  flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14
         "-DCMAKE_C_FLAGS=$sanitize" "-DCMAKE_CXX_FLAGS=$sanitize" -DHYBRIDSIM_FUZZ=ON -DBUILD_TESTING=OFF -DHYBRIDSIM_PYTHON=OFF)
fi
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B "$build" -G Ninja "${flags[@]}" -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
if [[ $build == build-fuzz ]]; then
  cmake --build "$build" -j"$jobs" --target hybridsim-fuzz-scenario
else
  cmake --build "$build" -j"$jobs"
fi

# `import hybridsim` from Debian's python3 (notebooks too): a .pth file in its site folder
# naming this clone's build/python. One per machine: the clone set up last is the one imported.
if [[ $build == build ]]; then
  site=$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
  if [[ -w $site || ( ! -e $site && $(id -u) -eq 0 ) ]]; then
    mkdir -p "$site"
    echo "$PWD/build/python" > "$site/hybridsim.pth"
    echo "setup: /usr/bin/python3 imports hybridsim from $PWD/build/python ($site/hybridsim.pth)"
  else
    echo "setup: to import hybridsim, run as root, or in Python: sys.path.insert(0, \"$PWD/build/python\")"
  fi
fi
