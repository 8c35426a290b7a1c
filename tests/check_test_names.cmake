# Fails when a Catch2 TEST_CASE name holds a semicolon: catch_discover_tests hands names to
# CMake as lists, so such a test is registered under a cut name that matches nothing, and
# ctest reports it passed without running it.
file(GLOB_RECURSE files ${SOURCE_DIR}/tests/*.cpp)
set(bad "")
foreach(f ${files})
  file(STRINGS ${f} lines REGEX "TEST_CASE\\(\"[^\"]*;")
  foreach(line ${lines})
    file(RELATIVE_PATH rel ${SOURCE_DIR} ${f})
    string(APPEND bad "\n  ${rel}: ${line}")
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "test names with ';' never run under ctest (use ',' instead):${bad}")
endif()
