# Host unit tests of the enclave libc's number formatting and parsing (printf engine,
# snprintf family, strtod family), compared with the host glibc.
# Included from tests/CMakeLists.txt (GTest found, enable_testing() done there).

set(CCBOX_ENCLAVE_LIBC_FORMAT_SOURCES
  ${PROJECT_SOURCE_DIR}/src/enclave/libc/format.c
  ${PROJECT_SOURCE_DIR}/src/enclave/libc/printf_buffer.c
  ${PROJECT_SOURCE_DIR}/src/enclave/libc/strtod.c)

# The enclave sources built for the host: without CCBOX_ENCLAVE_LIBC, so only the
# ccbox_libc_* names exist and glibc's own functions stay the reference.
add_library(ccbox_enclave_libc_format_host OBJECT ${CCBOX_ENCLAVE_LIBC_FORMAT_SOURCES})
target_include_directories(ccbox_enclave_libc_format_host
  PUBLIC ${PROJECT_SOURCE_DIR}/src/enclave/libc)
target_compile_definitions(ccbox_enclave_libc_format_host PRIVATE _GNU_SOURCE)
target_compile_options(ccbox_enclave_libc_format_host PRIVATE -fno-builtin)
set_target_properties(ccbox_enclave_libc_format_host PROPERTIES
  C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_link_libraries(ccbox_enclave_libc_format_host PRIVATE ccbox_warnings)

add_executable(enclave_libc_format_test
  ${PROJECT_SOURCE_DIR}/tests/enclave_libc/format_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/enclave_libc/strtod_test.cpp)
target_link_libraries(enclave_libc_format_test PRIVATE
  ccbox_enclave_libc_format_host GTest::gtest_main ccbox_warnings)

# One process: the randomized comparisons take ~12 s of CPU in total.
add_test(NAME enclave_libc_format_test COMMAND enclave_libc_format_test)
set_tests_properties(enclave_libc_format_test PROPERTIES TIMEOUT 300)
