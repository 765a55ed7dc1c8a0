# fetch_npm_package.cmake — bring one pinned npm package into the build tree
# and check it before any test reads it. Run by a CTest fixture:
#
#   cmake -DNAME=csv-spectrum -DVERSION=2.0.0 -DSHA256=<hex> -DDEST=<dir> \
#         -P fetch_npm_package.cmake
#
# The tarball is fetched once with `npm pack` (npm's cache kept in DEST, so
# nothing is written to the user's home) and kept as DEST/<tarball>. Every run
# checks its SHA-256 against the pinned one and unpacks it afresh into
# DEST/NAME (the package's files, without npm's `package/` prefix).
#
# A missing npm, a failed download or a wrong checksum is an error, so the
# tests that need the package fail instead of skipping. A cached tarball with
# the wrong checksum is moved aside to <tarball>.bad: the next run fetches it
# again (and fails again if the registry serves the same bytes).
cmake_minimum_required(VERSION 3.18)

foreach(v NAME VERSION SHA256 DEST)
  if(NOT DEFINED ${v} OR "${${v}}" STREQUAL "")
    message(FATAL_ERROR "fetch_npm_package: -D${v}=… is required")
  endif()
endforeach()
string(TOLOWER "${SHA256}" want)

# npm's file name for a package: @scope/name → scope-name-VERSION.tgz
string(REGEX REPLACE "^@" "" base "${NAME}")
string(REPLACE "/" "-" base "${base}")
set(tgz "${DEST}/${base}-${VERSION}.tgz")
file(MAKE_DIRECTORY "${DEST}")

if(EXISTS "${tgz}")
  file(SHA256 "${tgz}" got)
  if(NOT got STREQUAL want)
    file(RENAME "${tgz}" "${tgz}.bad")
    message(FATAL_ERROR "fetch_npm_package: the cached ${tgz} has SHA-256 ${got}, "
      "pinned ${want}; moved aside to ${tgz}.bad")
  endif()
  message(STATUS "${NAME}@${VERSION}: cached, SHA-256 ${got}")
else()
  find_program(NPM npm)
  if(NOT NPM)
    message(FATAL_ERROR "fetch_npm_package: npm is not installed; "
      "./setup.sh --test-deps (run by ./test.sh) installs it")
  endif()
  set(tmp "${DEST}/pack.tmp")
  file(REMOVE_RECURSE "${tmp}")
  file(MAKE_DIRECTORY "${tmp}")
  execute_process(
    COMMAND "${NPM}" pack "${NAME}@${VERSION}" --pack-destination "${tmp}"
      --cache "${DEST}/npm-cache" --ignore-scripts --no-audit --no-fund
      --no-update-notifier --loglevel=error
    WORKING_DIRECTORY "${tmp}"
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE out
    ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT EXISTS "${tmp}/${base}-${VERSION}.tgz")
    message(FATAL_ERROR "fetch_npm_package: `npm pack ${NAME}@${VERSION}` failed (${rc}):\n${out}${err}")
  endif()
  file(SHA256 "${tmp}/${base}-${VERSION}.tgz" got)
  if(NOT got STREQUAL want)
    message(FATAL_ERROR "fetch_npm_package: ${NAME}@${VERSION} from the registry has SHA-256 "
      "${got}, pinned ${want}; left in ${tmp}")
  endif()
  file(RENAME "${tmp}/${base}-${VERSION}.tgz" "${tgz}")
  file(REMOVE_RECURSE "${tmp}")
  message(STATUS "${NAME}@${VERSION}: fetched, SHA-256 ${got}")
endif()

# Unpack afresh, so that a test never reads files changed since the check.
set(unpack "${DEST}/${base}.unpack")
file(REMOVE_RECURSE "${unpack}" "${DEST}/${NAME}")
file(ARCHIVE_EXTRACT INPUT "${tgz}" DESTINATION "${unpack}")
if(NOT IS_DIRECTORY "${unpack}/package")
  message(FATAL_ERROR "fetch_npm_package: ${tgz} has no package/ folder")
endif()
get_filename_component(parent "${DEST}/${NAME}" DIRECTORY)
file(MAKE_DIRECTORY "${parent}")
file(RENAME "${unpack}/package" "${DEST}/${NAME}")
file(REMOVE_RECURSE "${unpack}")
message(STATUS "${NAME}@${VERSION}: unpacked into ${DEST}/${NAME}")
