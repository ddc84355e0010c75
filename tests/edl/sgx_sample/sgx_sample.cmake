# The Intel SGX SDK-style sample (issue 15, acceptance 2; docs/edl.md "Intel SGX SDK style"):
# tests/edl/corpus/intel_samples/sample_enclave.edl built with ccbox-edger8r --sgx-sdk into an
# enclave, and a host written as an SGX SDK application that runs every ECALL and OCALL, in the
# sim backend (edl_sgx_sample) and the isolated one (edl_sgx_sample_isolated).
set(SGX_SAMPLE_DIR ${CMAKE_CURRENT_SOURCE_DIR}/sgx_sample)
set(SGX_SAMPLE_EDL ${CMAKE_CURRENT_SOURCE_DIR}/corpus/intel_samples/sample_enclave.edl)
set(SGX_SAMPLE_EDL_PATHS ${PROJECT_SOURCE_DIR}/include/ccbox/sgx)
set(SGX_SAMPLE_INCLUDES ${CMAKE_CURRENT_SOURCE_DIR}/corpus/include ${PROJECT_SOURCE_DIR}/include/ccbox/sgx)
ccbox_add_enclave(edl_sgx_sample_enclave
  SOURCES ${SGX_SAMPLE_DIR}/enclave.c
  EDL ${SGX_SAMPLE_EDL}
  EDL_SEARCH_PATHS ${SGX_SAMPLE_EDL_PATHS}
  EDL_OPTIONS --sgx-sdk
  CONFIG ${SGX_SAMPLE_DIR}/enclave.conf
  INCLUDE_DIRECTORIES ${SGX_SAMPLE_INCLUDES}
  NO_CXX_RUNTIME)
add_executable(edl_sgx_sample_tests ${SGX_SAMPLE_DIR}/host_test.cpp)
ccbox_add_edl_untrusted(edl_sgx_sample_tests EDL ${SGX_SAMPLE_EDL} EDL_SEARCH_PATHS ${SGX_SAMPLE_EDL_PATHS}
                        EDL_OPTIONS --sgx-sdk)
target_include_directories(edl_sgx_sample_tests PRIVATE ${SGX_SAMPLE_INCLUDES})
target_compile_definitions(edl_sgx_sample_tests PRIVATE
  SGX_SAMPLE_ENCLAVE_PATH="$<TARGET_PROPERTY:edl_sgx_sample_enclave,CCBOX_SIGNED_IMAGE>"
  SGX_SAMPLE_PLATFORM_PATH="$<TARGET_FILE:ccboxd>")
target_link_libraries(edl_sgx_sample_tests PRIVATE ccbox_host GTest::gtest_main ccbox_warnings)
add_dependencies(edl_sgx_sample_tests edl_sgx_sample_enclave_signed ccboxd)
add_test(NAME edl_sgx_sample COMMAND edl_sgx_sample_tests)
add_test(NAME edl_sgx_sample_isolated COMMAND edl_sgx_sample_tests)
set_tests_properties(edl_sgx_sample_isolated PROPERTIES ENVIRONMENT "CCBOX_TEST_BACKEND=isolated" TIMEOUT 300)
# The same style from the installed package (CCBOX_SGX_INCLUDE_DIR, EDL_OPTIONS --sgx-sdk).
add_test(NAME edl_sgx_sample_installed
  COMMAND sh ${SGX_SAMPLE_DIR}/installed.sh ${PROJECT_BINARY_DIR})
set_tests_properties(edl_sgx_sample_installed PROPERTIES TIMEOUT 600 RUN_SERIAL ON)
