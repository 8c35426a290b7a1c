# Fails when docs/scenario_reference.md differs from what `hybridsim models --markdown` prints
# (the reference is generated from the same declarations the loader validates against).
execute_process(COMMAND ${HYBRIDSIM} models --markdown OUTPUT_VARIABLE generated RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "`hybridsim models --markdown` exited with ${rc}")
endif()
set(regenerate "regenerate it with\n  build/bin/hybridsim models --markdown > docs/scenario_reference.md")
if(NOT EXISTS ${REFERENCE})
  message(FATAL_ERROR "${REFERENCE} is missing; ${regenerate}")
endif()
file(READ ${REFERENCE} committed)
if(NOT generated STREQUAL committed)
  message(FATAL_ERROR "${REFERENCE} is stale: it differs from `hybridsim models --markdown`; ${regenerate}")
endif()
