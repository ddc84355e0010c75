# CCBOX_SANITIZE=address,undefined (or any -fsanitize= list): the project's own sanitizer
# configuration (docs/testing.md, "Sanitizers").
#
# Host-side code (libraries, tools, ccboxd, tests) is compiled and linked with the
# sanitizers, and any report is fatal. Enclave code cannot carry the ASan or UBSan runtimes:
# they make system calls and keep state in host memory. With CCBOX_SANITIZE_ENCLAVES it gets
# what works without a runtime: when `undefined` is asked for, UBSan's checks compiled to
# traps, so undefined behaviour aborts the enclave (an illegal instruction). Off by default:
# the trusted runtime does not pass it yet (docs/testing.md).
set(CCBOX_SANITIZE "" CACHE STRING "Sanitizers for the project's own build, e.g. address,undefined (docs/testing.md)")
option(CCBOX_SANITIZE_ENCLAVES "With CCBOX_SANITIZE=...undefined: trapping UBSan in enclave code too" OFF)

set(CCBOX_ENCLAVE_SANITIZE_COMPILE_OPTIONS)
set(CCBOX_ENCLAVE_SANITIZE_LINK_OPTIONS)
if(CCBOX_SANITIZE)
  # Host-side code at -O1 with line tables (-g1): ASan's recommended level, and what reports
  # need. GCC 12 compiles ASan + UBSan code at -O2 -g about twice as slowly (docs/testing.md).
  add_compile_options(-fsanitize=${CCBOX_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer -O1 -g1)
  add_link_options(-fsanitize=${CCBOX_SANITIZE})
  # Later flags win: enclave targets take back the sanitizers and get the trapping UBSan, and
  # the build type's own optimisation and debug flags: enclave code is tested as users build it.
  string(TOUPPER "${CMAKE_BUILD_TYPE}" _ccbox_build_type)
  separate_arguments(_ccbox_type_flags UNIX_COMMAND "${CMAKE_CXX_FLAGS_${_ccbox_build_type}}")
  list(FILTER _ccbox_type_flags INCLUDE REGEX "^-[Og]")
  set(CCBOX_ENCLAVE_SANITIZE_COMPILE_OPTIONS -fno-sanitize=all ${_ccbox_type_flags})
  set(CCBOX_ENCLAVE_SANITIZE_LINK_OPTIONS -fno-sanitize=all)
  string(REPLACE "," ";" requested "${CCBOX_SANITIZE}")
  if("undefined" IN_LIST requested AND CCBOX_SANITIZE_ENCLAVES)
    # vptr needs the runtime (and RTTI, which the enclave runtime is built without).
    list(APPEND CCBOX_ENCLAVE_SANITIZE_COMPILE_OPTIONS
         -fsanitize=undefined -fno-sanitize=vptr -fsanitize-undefined-trap-on-error)
  endif()
endif()
