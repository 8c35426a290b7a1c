# Fails when a Catch2 TEST_CASE name would not reach ctest intact: catch_discover_tests hands
# the names to CMake as a list, so a ';' cuts a name in two and an unbalanced '[' or ']'
# glues the following names onto it. Either way ctest registers a name that matches no
# test and reports it passed without running anything.
file(GLOB_RECURSE files ${SOURCE_DIR}/tests/*.cpp)
set(bad "")
foreach(f ${files})
  file(STRINGS ${f} lines REGEX "TEST_CASE\\(\"")
  foreach(line ${lines})
    string(REGEX MATCH "TEST_CASE\\(\"[^\"]*\"" name "${line}")
    string(REGEX MATCHALL "\\[" opens "${name}")
    string(REGEX MATCHALL "\\]" closes "${name}")
    list(LENGTH opens n_open)
    list(LENGTH closes n_close)
    if(name MATCHES ";" OR NOT n_open EQUAL n_close)
      file(RELATIVE_PATH rel ${SOURCE_DIR} ${f})
      string(APPEND bad "\n  ${rel}: ${name}")
    endif()
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "test names with ';' or unbalanced brackets never run under ctest (use ',' and balanced "
                      "brackets):${bad}")
endif()
