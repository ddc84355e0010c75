# The enclave libc's setjmp/longjmp and its interfaces for what an enclave does not have
# (sockets, resolver, dynamic loading, terminals, contexts), compiled for the host.
add_executable(enclave_libc_system_test ${CMAKE_CURRENT_LIST_DIR}/system_test.cpp
               ${PROJECT_SOURCE_DIR}/src/enclave/libc/setjmp.S
               ${PROJECT_SOURCE_DIR}/src/enclave/libc/jmp_guard.c
               ${PROJECT_SOURCE_DIR}/src/enclave/libc/unsupported.c)
target_include_directories(enclave_libc_system_test PRIVATE ${PROJECT_SOURCE_DIR}/src/enclave/libc)
target_compile_definitions(enclave_libc_system_test PRIVATE _GNU_SOURCE)
target_link_libraries(enclave_libc_system_test PRIVATE GTest::gtest_main ccbox_warnings)
gtest_discover_tests(enclave_libc_system_test)
