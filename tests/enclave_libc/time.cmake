# The enclave libc's calendar functions, compiled for the host and compared with glibc.
add_executable(enclave_libc_time_test ${CMAKE_CURRENT_LIST_DIR}/time_test.cpp
               ${PROJECT_SOURCE_DIR}/src/enclave/libc/time.c)
target_include_directories(enclave_libc_time_test PRIVATE ${PROJECT_SOURCE_DIR}/src
                           ${PROJECT_SOURCE_DIR}/src/enclave/libc)
set_source_files_properties(${PROJECT_SOURCE_DIR}/src/enclave/libc/time.c PROPERTIES COMPILE_OPTIONS "-fno-builtin")
target_link_libraries(enclave_libc_time_test PRIVATE GTest::gtest_main ccbox_warnings)
gtest_discover_tests(enclave_libc_time_test)
