# Host unit tests of the enclave libc's string, ctype and stdlib parts.
# Included from tests/CMakeLists.txt (GTest found, testing enabled there). The libc sources
# are compiled for the host WITHOUT CCBOX_ENCLAVE_LIBC, so they define only the ccbox_libc_*
# names and the tests compare them with glibc's functions in the same process.

include(GoogleTest)

set(CCBOX_ENCLAVE_LIBC_DIR ${PROJECT_SOURCE_DIR}/src/enclave/libc)

add_library(ccbox_enclave_libc_strings_host OBJECT
  ${CCBOX_ENCLAVE_LIBC_DIR}/string.c
  ${CCBOX_ENCLAVE_LIBC_DIR}/string_fortify.c
  ${CCBOX_ENCLAVE_LIBC_DIR}/ctype.c
  ${CCBOX_ENCLAVE_LIBC_DIR}/stdlib.c)
set_target_properties(ccbox_enclave_libc_strings_host PROPERTIES
  C_STANDARD 11
  C_STANDARD_REQUIRED ON
  C_EXTENSIONS OFF)
target_include_directories(ccbox_enclave_libc_strings_host PRIVATE ${CCBOX_ENCLAVE_LIBC_DIR})
target_compile_definitions(ccbox_enclave_libc_strings_host PRIVATE _GNU_SOURCE)
# -fno-builtin: keep the compiler from replacing the code under test with its builtins;
# -fno-tree-loop-distribute-patterns: keep loops from becoming memcpy/memset calls (as in
# the enclave build); -U_FORTIFY_SOURCE: the glibc headers must not wrap anything here.
target_compile_options(ccbox_enclave_libc_strings_host PRIVATE
  -fno-builtin
  $<$<C_COMPILER_ID:GNU>:-fno-tree-loop-distribute-patterns>
  -U_FORTIFY_SOURCE)
target_link_libraries(ccbox_enclave_libc_strings_host PRIVATE ccbox_warnings)

add_executable(enclave_libc_strings_test
  ${CMAKE_CURRENT_LIST_DIR}/strings_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ctype_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stdlib_test.cpp)
target_include_directories(enclave_libc_strings_test PRIVATE ${CCBOX_ENCLAVE_LIBC_DIR})
target_link_libraries(enclave_libc_strings_test PRIVATE ccbox_enclave_libc_strings_host GTest::gtest_main)
gtest_discover_tests(enclave_libc_strings_test DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120)
