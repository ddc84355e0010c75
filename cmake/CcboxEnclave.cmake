# ccbox_add_enclave(): build, link and sign an enclave image (docs/building-enclaves.md).
#
#   ccbox_add_enclave(<target>
#       SOURCES <files...>             enclave sources (C, C++, assembly)
#       [EDL <file.edl>]               interface; the trusted side is generated and compiled in
#       [EDL_SEARCH_PATHS <dirs...>]   for `import`/`from ... import`
#       [EDL_DEFINES <names...>]       -D for the EDL's #ifdef/#ifndef
#       [EDL_OPTIONS <options...>]     further ccbox-edger8r options (--sgx-sdk)
#       [CONFIG <file.conf>]           Open Enclave style configuration
#       [KEY <key.pem>]                RSA-3072 (e=3) signing key; generated into the build tree
#                                      when omitted
#       [LIBRARIES <libs...>]          further static libraries to link (e.g. mbedcrypto)
#       [INCLUDE_DIRECTORIES <dirs...>]
#       [COMPILE_DEFINITIONS <defs...>]
#       [NO_CXX_RUNTIME])              do not link libstdc++/libgcc_eh (C-only enclaves)
#
# CCBOX_ENCLAVE_EXTRA_COMPILE_OPTIONS, if set, is added to every enclave translation unit
# (ccbox's own tree sets -Wall -Wextra, and -Werror with CCBOX_WERROR), and
# CCBOX_ENCLAVE_EXTRA_LINK_OPTIONS to every enclave link (its sanitizer configuration).
#
# Produces the unsigned image <target> and the signed image <target>.signed next to it
# (target <target>_signed builds it). This file works both inside the ccbox source tree and
# from an installed package: the caller sets CCBOX_ENCLAVE_RUNTIME (the runtime library
# target), CCBOX_TOOL and CCBOX_EDGER8R (executables or targets) and CCBOX_ENCLAVE_INCLUDE_DIRS.



# Flags every enclave translation unit is compiled with: position independent, no PLT,
# sections for --gc-sections, stack protector (the canary lives in the TCS's TCB).
set(CCBOX_ENCLAVE_COMPILE_OPTIONS
    -fPIE -fno-plt -ffunction-sections -fdata-sections -fstack-protector-strong)
set(CCBOX_ENCLAVE_LINK_OPTIONS
    -static-pie -nostdlib -nostartfiles
    -Wl,-e,ccbox_enclave_entry
    -Wl,--gc-sections -Wl,-z,now -Wl,-z,relro -Wl,-z,noexecstack -Wl,-z,separate-code
    -Wl,-z,max-page-size=4096 -Wl,--no-undefined -Wl,--build-id=none
    # The runtime's C++ ABI support (exception globals without native TLS, spinning
    # guards) must win over libstdc++'s: make the linker take it from the first archive.
    -Wl,-u,__cxa_get_globals
    # IRELATIVE relocations (GNU indirect functions: libm.a's variants) are applied by the
    # enclave libc's ifunc.c; keep it in every image so that no IFUNC is ever left unresolved.
    -Wl,-u,ccbox_libc_ifunc_support)

function(_ccbox_compiler_file out name)
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=${name}
                  OUTPUT_VARIABLE path OUTPUT_STRIP_TRAILING_WHITESPACE)
  set(${out} "${path}" PARENT_SCOPE)
endfunction()

_ccbox_compiler_file(CCBOX_LIBSTDCXX_A libstdc++.a)
_ccbox_compiler_file(CCBOX_LIBGCC_EH_A libgcc_eh.a)
_ccbox_compiler_file(CCBOX_LIBGCC_A libgcc.a)

# Crypto inside enclaves: Debian's static Mbed TLS, and OpenSSL's libcrypto.a for the AES-GCM
# of sealing (its AES-NI/VAES code is the fastest in Debian; docs/sealing.md). Archives only
# contribute what an enclave uses: enclaves that do not seal carry no OpenSSL.
find_library(CCBOX_MBEDCRYPTO_A NAMES libmbedcrypto.a REQUIRED)
find_library(CCBOX_MBEDX509_A NAMES libmbedx509.a REQUIRED)
find_library(CCBOX_MBEDTLS_A NAMES libmbedtls.a REQUIRED)
find_library(CCBOX_OPENSSL_CRYPTO_A NAMES libcrypto.a REQUIRED)
# TLS inside enclaves: OpenSSL's libssl.a over the libcrypto.a above, one crypto library
# (docs/attested-tls.md says why not Mbed TLS). An enclave adds it to LIBRARIES.
find_library(CCBOX_OPENSSL_SSL_A NAMES libssl.a REQUIRED)
# <cmath> and <math.h> inside enclaves: Debian's own libm.a (from libc6-dev), linked unchanged.
# The enclave libc provides the glibc internals it needs (docs/enclave-libc.md, "Maths"); like
# every archive, it only contributes what an enclave calls.
find_library(CCBOX_LIBM_A NAMES libm.a REQUIRED)
# glibc keeps a few maths functions in libc.a rather than libm.a (frexp, ldexp, scalbn, modf,
# copysign, isinf, isnan, finite, signbit and their float/long double forms; libm.a calls some
# of them). Those members of Debian's libc.a are self-contained (they only need errno, which the
# enclave libc provides as __libc_errno), so they are taken from it unchanged into a small
# archive at configure time; the rest of libc.a is never linked into an enclave.
find_library(CCBOX_LIBC_A NAMES libc.a REQUIRED)
set(_ccbox_libc_math_dir ${CMAKE_BINARY_DIR}/ccbox-libc-math)
set(CCBOX_LIBC_MATH_A ${_ccbox_libc_math_dir}/libccbox_libc_math.a)
set(_ccbox_libc_math_members)
foreach(f "" f l)
  foreach(name isinf isnan finite copysign modf scalbn frexp signbit ldexp)
    list(APPEND _ccbox_libc_math_members s_${name}${f}.o)
  endforeach()
endforeach()
if(NOT EXISTS ${CCBOX_LIBC_MATH_A} OR ${CCBOX_LIBC_A} IS_NEWER_THAN ${CCBOX_LIBC_MATH_A})
  file(REMOVE_RECURSE ${_ccbox_libc_math_dir})
  file(MAKE_DIRECTORY ${_ccbox_libc_math_dir})
  execute_process(COMMAND ${CMAKE_AR} x ${CCBOX_LIBC_A} ${_ccbox_libc_math_members}
                  WORKING_DIRECTORY ${_ccbox_libc_math_dir} RESULT_VARIABLE _ccbox_ar_x)
  if(NOT _ccbox_ar_x EQUAL 0)
    message(FATAL_ERROR "ccbox: cannot take the maths members ${_ccbox_libc_math_members} out of ${CCBOX_LIBC_A}")
  endif()
  execute_process(COMMAND ${CMAKE_AR} rcs ${CCBOX_LIBC_MATH_A} ${_ccbox_libc_math_members}
                  WORKING_DIRECTORY ${_ccbox_libc_math_dir} RESULT_VARIABLE _ccbox_ar_rcs)
  if(NOT _ccbox_ar_rcs EQUAL 0)
    message(FATAL_ERROR "ccbox: cannot create ${CCBOX_LIBC_MATH_A}")
  endif()
endif()
set(CCBOX_ENCLAVE_CRYPTO_LIBRARIES ${CCBOX_MBEDTLS_A} ${CCBOX_MBEDX509_A} ${CCBOX_MBEDCRYPTO_A}
    ${CCBOX_OPENSSL_CRYPTO_A})

# Runs ccbox-edger8r for one side ("trusted" or "untrusted") of `edl` into `gen_dir` at build
# time (X_t.* or X_u.*, and X_args.h), with a dependency file so that imported EDLs count, and
# sets `out_source` to the generated X_t.c / X_u.c.
function(_ccbox_generate_edl out_source side edl gen_dir search_paths defines options)
  get_filename_component(edl_abs ${edl} ABSOLUTE)
  get_filename_component(edl_name ${edl} NAME_WE)
  string(SUBSTRING ${side} 0 1 letter)
  set(args)
  foreach(dir ${search_paths})
    get_filename_component(dir_abs ${dir} ABSOLUTE)
    list(APPEND args --search-path ${dir_abs})
  endforeach()
  foreach(name ${defines})
    list(APPEND args -D ${name})
  endforeach()
  list(APPEND args ${options})
  set(stem ${gen_dir}/${edl_name})
  add_custom_command(
    OUTPUT ${stem}_${letter}.c ${stem}_${letter}.h ${stem}_args.h
    COMMAND ${CMAKE_COMMAND} -E make_directory ${gen_dir}
    COMMAND ${CCBOX_EDGER8R} --${side} --${side}-dir ${gen_dir} ${args} --depfile ${stem}_${letter}.d ${edl_abs}
    DEPENDS ${edl_abs} ${CCBOX_EDGER8R}
    DEPFILE ${stem}_${letter}.d
    COMMENT "ccbox-edger8r: ${side} side of ${edl}"
    VERBATIM)
  set(${out_source} ${stem}_${letter}.c PARENT_SCOPE)
endfunction()

function(ccbox_add_enclave target)
  cmake_parse_arguments(E "NO_CXX_RUNTIME" "EDL;CONFIG;KEY"
                        "SOURCES;EDL_SEARCH_PATHS;EDL_DEFINES;EDL_OPTIONS;LIBRARIES;INCLUDE_DIRECTORIES;COMPILE_DEFINITIONS" ${ARGN})
  if(NOT E_SOURCES)
    message(FATAL_ERROR "ccbox_add_enclave(${target}): SOURCES is required")
  endif()

  set(sources ${E_SOURCES})
  set(gen_dir ${CMAKE_CURRENT_BINARY_DIR}/${target}_edl)
  if(E_EDL)
    _ccbox_generate_edl(trusted_source trusted ${E_EDL} ${gen_dir} "${E_EDL_SEARCH_PATHS}" "${E_EDL_DEFINES}"
                        "${E_EDL_OPTIONS}")
    list(APPEND sources ${trusted_source})
  endif()

  add_executable(${target} ${sources})
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE OFF LINKER_LANGUAGE CXX)
  target_compile_options(${target} PRIVATE ${CCBOX_ENCLAVE_COMPILE_OPTIONS} ${CCBOX_ENCLAVE_EXTRA_COMPILE_OPTIONS})
  target_include_directories(${target} PRIVATE ${gen_dir} ${CCBOX_ENCLAVE_INCLUDE_DIRS} ${E_INCLUDE_DIRECTORIES})
  if(E_COMPILE_DEFINITIONS)
    target_compile_definitions(${target} PRIVATE ${E_COMPILE_DEFINITIONS})
  endif()
  target_link_options(${target} PRIVATE ${CCBOX_ENCLAVE_LINK_OPTIONS} ${CCBOX_ENCLAVE_EXTRA_LINK_OPTIONS})
  set(cxx_runtime)
  if(NOT E_NO_CXX_RUNTIME)
    set(cxx_runtime ${CCBOX_LIBSTDCXX_A} ${CCBOX_LIBGCC_EH_A})
  endif()
  if(TARGET ${CCBOX_ENCLAVE_RUNTIME})
    set(runtime_file $<TARGET_FILE:${CCBOX_ENCLAVE_RUNTIME}>)
    add_dependencies(${target} ${CCBOX_ENCLAVE_RUNTIME})
  else()
    set(runtime_file ${CCBOX_ENCLAVE_RUNTIME})
  endif()
  # One group, so the runtime can satisfy what libstdc++ and user libraries need and the
  # other way round.
  target_link_libraries(${target} PRIVATE
    -Wl,--start-group ${E_LIBRARIES} ${runtime_file} ${CCBOX_ENCLAVE_CRYPTO_LIBRARIES} ${cxx_runtime} ${CCBOX_LIBM_A}
    ${CCBOX_LIBC_MATH_A} ${CCBOX_LIBGCC_A}
    -Wl,--end-group)
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${runtime_file})

  # Signing
  if(E_KEY)
    get_filename_component(key ${E_KEY} ABSOLUTE)
  else()
    set(key ${CMAKE_CURRENT_BINARY_DIR}/${target}.key.pem)
    add_custom_command(OUTPUT ${key}
      COMMAND ${CCBOX_TOOL} keygen --force -o ${key}
      DEPENDS ${CCBOX_TOOL}
      COMMENT "ccbox keygen: ${target}.key.pem"
      VERBATIM)
  endif()
  set(config_args)
  set(config_dep)
  if(E_CONFIG)
    get_filename_component(config ${E_CONFIG} ABSOLUTE)
    set(config_args -c ${config})
    set(config_dep ${config})
  endif()
  add_custom_command(
    OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/${target}.signed
    COMMAND ${CCBOX_TOOL} sign -e $<TARGET_FILE:${target}> ${config_args} -k ${key}
            -o ${CMAKE_CURRENT_BINARY_DIR}/${target}.signed
    DEPENDS ${target} ${key} ${config_dep} ${CCBOX_TOOL}
    COMMENT "ccbox sign: ${target}.signed"
    VERBATIM)
  add_custom_target(${target}_signed ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/${target}.signed)
  set_target_properties(${target} PROPERTIES CCBOX_SIGNED_IMAGE ${CMAKE_CURRENT_BINARY_DIR}/${target}.signed)
endfunction()

# ccbox_add_edl_untrusted(<target> EDL <file.edl> [EDL_SEARCH_PATHS <dirs...>] [EDL_DEFINES <names...>]
#                         [EDL_OPTIONS <options...>])
# Generates the host side of an EDL (X_u.c/X_u.h/X_args.h) and adds it to a host target.
function(ccbox_add_edl_untrusted target)
  cmake_parse_arguments(E "" "EDL" "EDL_SEARCH_PATHS;EDL_DEFINES;EDL_OPTIONS" ${ARGN})
  set(gen_dir ${CMAKE_CURRENT_BINARY_DIR}/${target}_edl)
  _ccbox_generate_edl(untrusted_source untrusted ${E_EDL} ${gen_dir} "${E_EDL_SEARCH_PATHS}" "${E_EDL_DEFINES}"
                      "${E_EDL_OPTIONS}")
  target_sources(${target} PRIVATE ${untrusted_source})
  target_include_directories(${target} PRIVATE ${gen_dir})
endfunction()
