# The systemd unit and the Debian package (docs/packaging.md).
#
# `cpack -G DEB` in a build configured with -DCMAKE_INSTALL_PREFIX=/usr makes
# ccbox_<version>_amd64.deb: the SDK (headers, libraries, CMake package), the tools, ccboxd
# and its systemd unit. Its postinst creates the system user and group `ccbox`; nothing is
# enabled or started.

# The unit names the installed ccboxd and ccbox: the configured bindir replaces the
# /usr/local/bin of packaging/systemd/ccboxd.service.
file(READ ${PROJECT_SOURCE_DIR}/packaging/systemd/ccboxd.service unit)
string(REPLACE "/usr/local/bin/" "${CMAKE_INSTALL_FULL_BINDIR}/" unit "${unit}")
set(unit_file ${PROJECT_BINARY_DIR}/packaging/ccboxd.service)
set(previous "")
if(EXISTS ${unit_file})
  file(READ ${unit_file} previous)
endif()
if(NOT previous STREQUAL unit)  # written as is: no ${} or @@ substitution in the unit's text
  file(WRITE ${unit_file} "${unit}")
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/packaging/systemd/ccboxd.service)
install(FILES ${unit_file} DESTINATION lib/systemd/system)

set(CPACK_PACKAGE_NAME ccbox)
set(CPACK_PACKAGE_VENDOR "the ccbox developers")
set(CPACK_PACKAGE_CONTACT "ccbox developers <dev@ccbox.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "confidential-computing SDK and platform modelling Intel SGX")
set(CPACK_PACKAGE_DESCRIPTION
"ccbox gives application developers the Intel SGX enclave model on any
x86-64 Linux machine: an SDK in the style of Open Enclave (EDL compiler,
signing tool, host and enclave runtimes, CMake package) and ccboxd, a
platform service that models the SGX processor (measurement, SIGSTRUCT,
EINIT, keys, reports) and runs each enclave in its own locked-down process.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://ccbox.invalid/")
# Shared-library dependencies of the executables come from dpkg-shlibdeps; the rest is what
# building against the SDK needs (find_package(ccbox) and ccbox_add_enclave()): a C/C++
# toolchain with its static libstdc++, CMake, OpenSSL's and Mbed TLS's static libraries,
# nlohmann-json; adduser for the postinst; gdb and python3 for ccbox-gdb.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "adduser, cmake (>= 3.25), g++ (>= 4:12), libssl-dev (>= 3.0), libmbedtls-dev, nlohmann-json3-dev")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gdb, python3, ninja-build")

# A native package (no Debian revision, so the file is ccbox_<version>_amd64.deb): its
# changelog is changelog.gz, compressed without a timestamp.
string(TIMESTAMP CCBOX_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
set(CCBOX_DEB_VERSION ${PROJECT_VERSION})
set(CCBOX_DEB_MAINTAINER ${CPACK_PACKAGE_CONTACT})
set(deb_doc ${PROJECT_BINARY_DIR}/packaging/doc)
configure_file(${PROJECT_SOURCE_DIR}/packaging/debian/changelog ${deb_doc}/changelog @ONLY)
execute_process(COMMAND gzip -9nc ${deb_doc}/changelog OUTPUT_FILE ${deb_doc}/changelog.gz COMMAND_ERROR_IS_FATAL ANY)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/debian/copyright ${deb_doc}/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/packaging/debian/postinst)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
