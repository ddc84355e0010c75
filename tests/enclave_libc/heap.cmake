# Host unit tests for the enclave heap allocator (src/enclave/libc/malloc.c).
# Included from tests/CMakeLists.txt (GTest found, testing enabled). malloc.c is compiled for
# the host WITHOUT CCBOX_ENCLAVE_LIBC, so it only defines the ccbox_libc_ functions (no
# malloc/free aliases that would replace glibc's in the test process) plus the test-only hooks.
find_package(Threads REQUIRED)
include(GoogleTest)

add_library(ccbox_enclave_libc_heap_host OBJECT ${PROJECT_SOURCE_DIR}/src/enclave/libc/malloc.c)
target_include_directories(ccbox_enclave_libc_heap_host PUBLIC ${PROJECT_SOURCE_DIR}/src/enclave/libc)
target_compile_definitions(ccbox_enclave_libc_heap_host PRIVATE _GNU_SOURCE)
target_compile_options(ccbox_enclave_libc_heap_host PRIVATE -fno-builtin)
target_link_libraries(ccbox_enclave_libc_heap_host PRIVATE ccbox_warnings)

add_executable(enclave_libc_heap_test ${PROJECT_SOURCE_DIR}/tests/enclave_libc/heap_test.cpp)
target_link_libraries(enclave_libc_heap_test PRIVATE ccbox_enclave_libc_heap_host GTest::gtest_main Threads::Threads
                                                     ccbox_warnings)
gtest_discover_tests(enclave_libc_heap_test DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120)
