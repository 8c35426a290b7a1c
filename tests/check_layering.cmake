# Fails when a file under sim/ (the kernel, the run and the sweep driver) includes models/ or
# tools/, or a file under models/ includes tools/: each layer knows only the ones below it, and
# the model families reach the kernel only through the plugins the caller hands in.
set(violations "")
foreach(rule "sim:models|tools" "models:tools")
  string(REPLACE ":" ";" parts "${rule}")
  list(GET parts 0 layer)
  list(GET parts 1 forbidden)
  file(GLOB_RECURSE files ${SOURCE_DIR}/${layer}/*.hpp ${SOURCE_DIR}/${layer}/*.cpp ${SOURCE_DIR}/${layer}/*.in)
  foreach(f ${files})
    file(STRINGS ${f} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<](${forbidden})/")
    foreach(line ${lines})
      file(RELATIVE_PATH rel ${SOURCE_DIR} ${f})
      string(APPEND violations "\n  ${rel}: ${line}")
    endforeach()
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "layering broken (sim/ may not include models/ or tools/; models/ may not "
                      "include tools/):${violations}")
endif()
