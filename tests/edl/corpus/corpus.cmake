# The public-EDL corpus (docs/edl-corpus.md): one test per category; each compiles every EDL of
# its category with --header-only and fully, in ccbox-edger8r's, oeedger8r's and --sgx-sdk mode
# as the file says, and compiles the generated C (tests/edl/corpus/check.sh).
set(EDL_CORPUS_DIR ${CMAKE_CURRENT_SOURCE_DIR}/corpus)
set(EDL_CORPUS_PATHS
  --search-path ${PROJECT_SOURCE_DIR}/include/ccbox/sgx
  --search-path ${PROJECT_SOURCE_DIR}/include
  --search-path ${PROJECT_SOURCE_DIR}/compat/openenclave/include
  --search-path ${PROJECT_SOURCE_DIR}/compat/openenclave/include/openenclave/edl/sgx
  --search-path ${EDL_CORPUS_DIR}
  --search-path ${EDL_CORPUS_DIR}/teaclave_style/edl
  -I ${PROJECT_SOURCE_DIR}/include
  -I ${PROJECT_SOURCE_DIR}/include/ccbox/sgx
  -I ${PROJECT_SOURCE_DIR}/compat/openenclave/include
  -I ${EDL_CORPUS_DIR}/include
  -I ${EDL_CORPUS_DIR}/teaclave_style)
foreach(category sdk_types system_imports deep_copy grammar intel_samples oe_style teaclave_style)
  add_test(NAME edl_corpus.${category}
    COMMAND sh ${EDL_CORPUS_DIR}/check.sh $<TARGET_FILE:ccbox-edger8r> $<TARGET_FILE:oeedger8r>
            ${CMAKE_CURRENT_BINARY_DIR}/corpus/${category} ${EDL_CORPUS_DIR}/${category} ${EDL_CORPUS_PATHS})
endforeach()
foreach(tool ccbox-edger8r oeedger8r)
  add_test(NAME edl_corpus.rejected.sizefunc.${tool}
    COMMAND sh ${EDL_CORPUS_DIR}/rejected.sh $<TARGET_FILE:${tool}> ${CMAKE_CURRENT_BINARY_DIR}/corpus/rejected/${tool}
            ${EDL_CORPUS_DIR}/negative/sizefunc.edl "error: 'sizefunc' is not supported: give the buffer size with 'size='")
endforeach()
# Open Enclave's own sample EDLs, from the shared test data (skipped when it is absent).
add_test(NAME edl_corpus.oe_samples_testdata
  COMMAND sh ${EDL_CORPUS_DIR}/testdata.sh $<TARGET_FILE:ccbox-edger8r> $<TARGET_FILE:oeedger8r>
          ${CMAKE_CURRENT_BINARY_DIR}/corpus/oe_samples_testdata ${PROJECT_SOURCE_DIR}/../shared/testdata/openenclave-samples
          ${EDL_CORPUS_PATHS})
