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
file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/packaging/ccboxd.service CONTENT "${unit}")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/packaging/systemd/ccboxd.service)
install(FILES ${PROJECT_BINARY_DIR}/packaging/ccboxd.service DESTINATION lib/systemd/system)

set(CPACK_PACKAGE_NAME ccbox)
set(CPACK_PACKAGE_VENDOR "the ccbox developers")
set(CPACK_PACKAGE_CONTACT "ccbox developers <dev@ccbox.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "confidential-computing SDK and platform modelling Intel SGX")
set(CPACK_PACKAGE_DESCRIPTION
"ccbox gives application developers the Intel SGX enclave model on any x86-64 Linux
machine: an SDK in the style of Open Enclave (EDL compiler, signing tool, host and
enclave runtimes, CMake package) and ccboxd, a platform service that models the SGX
processor (measurement, SIGSTRUCT, EINIT, keys, reports) and runs each enclave in its
own locked-down process.")
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

string(TIMESTAMP CCBOX_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
set(CCBOX_DEB_VERSION ${PROJECT_VERSION})
set(CCBOX_DEB_MAINTAINER ${CPACK_PACKAGE_CONTACT})
set(deb_doc ${PROJECT_BINARY_DIR}/packaging/doc)
configure_file(${PROJECT_SOURCE_DIR}/packaging/debian/changelog ${deb_doc}/changelog.Debian @ONLY)
file(ARCHIVE_CREATE OUTPUT ${deb_doc}/changelog.Debian.gz PATHS ${deb_doc}/changelog.Debian FORMAT raw COMPRESSION GZip
     COMPRESSION_LEVEL 9 MTIME 0)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/debian/copyright ${deb_doc}/changelog.Debian.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/packaging/debian/postinst)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
