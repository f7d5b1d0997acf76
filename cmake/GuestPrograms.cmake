# Guest programs and exec tests.
#
# Guest programs: Linux x86_64 executables that run inside the guest (on Aramid and on Linux),
# built from tests/ (and bench/) with the guest's toolchains rather than the host's:
#   static      musl-gcc -static                 (the default)
#   static-pie  musl, linked by hand as QEMU-NOTES.md describes (musl-gcc -static-pie silently
#               makes a dynamic PIE)
#   pie         musl-gcc -fPIE -pie: a dynamic PIE run by Alpine's /lib/ld-musl-x86_64.so.1
#   glibc       gcc/g++ -static against glibc (C++ programs: musl has no C++ library here)
#   glibc-static-pie  gcc/g++ -static-pie against glibc
# Each lands in ${ARAMID_GUEST_DIR}/<DEST>/<name>; tools/aramid copies ${ARAMID_GUEST_DIR}
# into every image it builds, so /aramid/bin/<name> exists in the guest (and is on the test
# init's PATH).
#
#   aramid_guest_program(<name> SOURCES <file>... [LINK <kind>] [DEST <dir>] [FLAGS <flag>...])
set(ARAMID_GUEST_DIR ${PROJECT_BINARY_DIR}/guest)
find_program(ARAMID_MUSL_GCC musl-gcc REQUIRED)
set(ARAMID_MUSL_LIB /usr/lib/x86_64-linux-musl)
add_custom_target(guest_programs ALL)

execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=crtbeginS.o
                OUTPUT_VARIABLE ARAMID_CRTBEGIN_S OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=crtendS.o
                OUTPUT_VARIABLE ARAMID_CRTEND_S OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-libgcc-file-name
                OUTPUT_VARIABLE ARAMID_LIBGCC OUTPUT_STRIP_TRAILING_WHITESPACE)

set(ARAMID_GUEST_CFLAGS -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE)

function(aramid_guest_program name)
  cmake_parse_arguments(ARG "" "LINK;DEST" "SOURCES;FLAGS" ${ARGN})
  if(NOT ARG_LINK)
    set(ARG_LINK static)
  endif()
  if(NOT ARG_DEST)
    set(ARG_DEST aramid/bin)
  endif()
  set(out ${ARAMID_GUEST_DIR}/${ARG_DEST}/${name})
  set(sources)
  foreach(src IN LISTS ARG_SOURCES)
    list(APPEND sources ${CMAKE_CURRENT_SOURCE_DIR}/${src})
  endforeach()
  set(flags ${ARAMID_GUEST_CFLAGS} ${ARG_FLAGS})
  if(ARG_LINK STREQUAL "static")
    set(cmd ${ARAMID_MUSL_GCC} ${flags} -static -o ${out} ${sources})
  elseif(ARG_LINK STREQUAL "pie")
    set(cmd ${ARAMID_MUSL_GCC} ${flags} -fPIE -pie -o ${out} ${sources})
  elseif(ARG_LINK STREQUAL "static-pie")
    # Compile with musl's headers, link with musl's rcrt1.o (the self-relocating start file).
    set(obj ${CMAKE_CURRENT_BINARY_DIR}/${name}.static-pie.o)
    list(LENGTH sources n)
    if(NOT n EQUAL 1)
      message(FATAL_ERROR "aramid_guest_program(${name}): static-pie takes one source file")
    endif()
    set(cmd ${ARAMID_MUSL_GCC} ${flags} -fPIE -c -o ${obj} ${sources}
      COMMAND ${CMAKE_C_COMPILER} -nostdlib -static-pie -o ${out}
        ${ARAMID_MUSL_LIB}/rcrt1.o ${ARAMID_MUSL_LIB}/crti.o ${ARAMID_CRTBEGIN_S} ${obj}
        ${ARAMID_MUSL_LIB}/libc.a ${ARAMID_LIBGCC} ${ARAMID_CRTEND_S} ${ARAMID_MUSL_LIB}/crtn.o)
  elseif(ARG_LINK MATCHES "^glibc")
    set(compiler ${CMAKE_C_COMPILER})
    if(ARG_SOURCES MATCHES "\\.(cc|cpp)(;|$)")
      set(compiler ${CMAKE_CXX_COMPILER})
      list(APPEND flags -std=gnu++20)
    endif()
    if(ARG_LINK STREQUAL "glibc")
      set(cmd ${compiler} ${flags} -static -o ${out} ${sources})
    elseif(ARG_LINK STREQUAL "glibc-static-pie")
      set(cmd ${compiler} ${flags} -fPIE -static-pie -o ${out} ${sources})
    else()
      message(FATAL_ERROR "aramid_guest_program(${name}): unknown LINK ${ARG_LINK}")
    endif()
  else()
    message(FATAL_ERROR "aramid_guest_program(${name}): unknown LINK ${ARG_LINK}")
  endif()
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${ARAMID_GUEST_DIR}/${ARG_DEST}
    COMMAND ${cmd}
    DEPENDS ${sources}
    COMMENT "Building guest program ${ARG_DEST}/${name} (${ARG_LINK})"
    VERBATIM)
  add_custom_target(guest_${name} DEPENDS ${out})
  add_dependencies(guest_programs guest_${name})
endfunction()

# --- exec tests -------------------------------------------------------------------------------
# aramid_exec_test(<name> [checks...] -- <exec arguments>): one `tools/aramid exec --no-build`
# boot whose output and exit status tests/tools/exec_case.py checks. Checks: --stdout TEXT
# (byte for byte, Python escapes), --empty-stdout, --stdout-re RE, --stderr-re RE, --status N.
# The kernel log goes to build/test-logs/<name>.kernel.log. Label the test yourself
# (`qemu` for Aramid, `qemu-linux` for --kernel linux). CMake drops empty arguments: write
# add_test by hand for a program that takes "" (tests/tools/CMakeLists.txt has an example).
find_program(ARAMID_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT ARAMID_PYTHON3)
  find_program(ARAMID_PYTHON3 python3 REQUIRED)
endif()

function(aramid_exec_test name)
  set(log ${PROJECT_BINARY_DIR}/test-logs/${name}.kernel.log)
  list(FIND ARGN "--" cut)
  if(cut LESS 0)
    message(FATAL_ERROR "aramid_exec_test(${name}): expected checks -- exec arguments")
  endif()
  list(SUBLIST ARGN 0 ${cut} checks)
  math(EXPR rest "${cut} + 1")
  list(SUBLIST ARGN ${rest} -1 exec_args)
  add_test(NAME ${name}
           COMMAND ${ARAMID_PYTHON3} ${PROJECT_SOURCE_DIR}/tests/tools/exec_case.py ${checks}
                   -- --log ${log} ${exec_args})
  set_tests_properties(${name} PROPERTIES TIMEOUT 300
                       ENVIRONMENT "ARAMID_BUILD_DIR=${PROJECT_BINARY_DIR}")
endfunction()
