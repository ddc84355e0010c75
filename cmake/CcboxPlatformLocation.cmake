# Where the host library finds ccboxd (docs/building-enclaves.md, "Which ccboxd runs").
#
# libccbox_host.a has no path compiled in. A program that links ccbox::host gets one small
# source, written here into its build tree, that defines ccbox_platform_executable_location:
# the ccboxd of the installation (or build tree) the package was found in. ccboxConfig.cmake
# computes that path from its own location, so a moved installation hands out its own ccboxd.

# _ccbox_platform_location_source(<out_var> <ccboxd path>): writes the source, sets <out_var>.
function(_ccbox_platform_location_source out ccboxd)
  string(REPLACE "\\" "\\\\" escaped "${ccboxd}")
  string(REPLACE "\"" "\\\"" escaped "${escaped}")
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if("C" IN_LIST languages)
    set(extension c)
  else()
    set(extension cpp)
  endif()
  string(SHA256 id "${ccboxd}")
  string(SUBSTRING "${id}" 0 12 id)
  set(file "${CMAKE_BINARY_DIR}/ccbox/platform_location_${id}.${extension}")
  file(CONFIGURE OUTPUT "${file}" @ONLY CONTENT
"/* Written by find_package(ccbox): the ccboxd the host library starts on demand. */
#ifdef __cplusplus
extern \"C\"
#endif
const char ccbox_platform_executable_location[] = \"@escaped@\";
")
  set(${out} "${file}" PARENT_SCOPE)
endfunction()

# _ccbox_hand_platform_location(<target> <ccboxd path>): adds that source to what linking
# <target> brings, once.
function(_ccbox_hand_platform_location target ccboxd)
  get_property(done TARGET ${target} PROPERTY CCBOX_PLATFORM_EXECUTABLE SET)
  if(done)
    return()
  endif()
  _ccbox_platform_location_source(source "${ccboxd}")
  set_property(TARGET ${target} APPEND PROPERTY INTERFACE_SOURCES "${source}")
  set_property(TARGET ${target} PROPERTY CCBOX_PLATFORM_EXECUTABLE "${ccboxd}")
endfunction()
