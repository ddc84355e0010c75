# Host unit tests of the enclave libc's sscanf family (scanf.c), compared with the host
# glibc's. Included from tests/CMakeLists.txt (GTest found, enable_testing() done there).

# scanf.c and what it parses numbers with: strto* (stdlib.c), strtod (strtod.c, which
# needs format.c) and snprintf (printf_buffer.c). Built without CCBOX_ENCLAVE_LIBC, so
# only the ccbox_libc_* names exist and glibc's sscanf stays the reference.
add_library(ccbox_enclave_libc_scanf_host OBJECT
  ${PROJECT_SOURCE_DIR}/src/enclave/libc/scanf.c
  ${PROJECT_SOURCE_DIR}/src/enclave/libc/stdlib.c
  ${PROJECT_SOURCE_DIR}/src/enclave/libc/strtod.c
  ${PROJECT_SOURCE_DIR}/src/enclave/libc/format.c
  ${PROJECT_SOURCE_DIR}/src/enclave/libc/printf_buffer.c)
target_include_directories(ccbox_enclave_libc_scanf_host
  PUBLIC ${PROJECT_SOURCE_DIR}/src/enclave/libc)
target_compile_definitions(ccbox_enclave_libc_scanf_host PRIVATE _GNU_SOURCE)
target_compile_options(ccbox_enclave_libc_scanf_host PRIVATE -fno-builtin -U_FORTIFY_SOURCE)
set_target_properties(ccbox_enclave_libc_scanf_host PROPERTIES
  C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_link_libraries(ccbox_enclave_libc_scanf_host PRIVATE ccbox_warnings)

add_executable(enclave_libc_scanf_test ${PROJECT_SOURCE_DIR}/tests/enclave_libc/scanf_test.cpp)
target_link_libraries(enclave_libc_scanf_test PRIVATE
  ccbox_enclave_libc_scanf_host GTest::gtest_main ccbox_warnings)

add_test(NAME enclave_libc_scanf_test COMMAND enclave_libc_scanf_test)
set_tests_properties(enclave_libc_scanf_test PROPERTIES TIMEOUT 60)
