# The EDL parser fuzzer (tests/edl/fuzz/edl_parser_fuzzer.cpp). libFuzzer needs clang; the
# project is built with gcc, so the fuzzer is compiled by a custom command with clang++ and
# run by CTest for a bounded time (EDL_FUZZ_SECONDS, default 12).
find_program(EDL_FUZZ_CLANGXX NAMES clang++-14 clang++)
set(EDL_FUZZ_SECONDS 12 CACHE STRING "How long the edl_parser_fuzz test fuzzes")
if(NOT CCBOX_BUILD_FUZZERS OR NOT EDL_FUZZ_CLANGXX)
  message(STATUS "edl_parser_fuzzer: not built (CCBOX_BUILD_FUZZERS off or no clang++)")
  return()
endif()

get_target_property(_edl_sources ccbox_edger8r_lib SOURCES)
set(_edl_fuzz_sources)
foreach(s ${_edl_sources})
  list(APPEND _edl_fuzz_sources ${PROJECT_SOURCE_DIR}/src/tools/edger8r/${s})
endforeach()
set(_edl_fuzzer ${CMAKE_CURRENT_BINARY_DIR}/fuzz/edl_parser_fuzzer)
add_custom_command(
  OUTPUT ${_edl_fuzzer}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/fuzz
  COMMAND ${EDL_FUZZ_CLANGXX} -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined
          -fno-sanitize-recover=undefined -Wall -Wextra -Werror
          -I ${PROJECT_SOURCE_DIR}/src/tools/edger8r
          ${_edl_fuzz_sources} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/edl_parser_fuzzer.cpp -o ${_edl_fuzzer}
  DEPENDS ${_edl_fuzz_sources} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/edl_parser_fuzzer.cpp
  COMMENT "clang++ -fsanitize=fuzzer: edl_parser_fuzzer"
  VERBATIM)
add_custom_target(edl_parser_fuzzer ALL DEPENDS ${_edl_fuzzer})

# A fresh copy of the seed corpus each run, so the source tree is never written to.
add_test(NAME edl_parser_fuzz
  COMMAND sh -c "rm -rf corpus && cp -r \"$1\" corpus && \"$2\" -max_total_time=$3 -rss_limit_mb=2048 -timeout=10 -dict=\"$4\" corpus"
          edl_parser_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus ${_edl_fuzzer} ${EDL_FUZZ_SECONDS}
          ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/edl.dict
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/fuzz)
set_tests_properties(edl_parser_fuzz PROPERTIES TIMEOUT 600)
