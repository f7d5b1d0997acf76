# The kernel's sources are compiled twice: once freestanding for aramid.elf (with hal/x86_64's
# backend headers on the include path) and once for the host (with hal/hostsim's), so the very
# same code runs in QEMU and in tests. Files ending in _test.cc are GoogleTest sources, not kernel.
file(GLOB_RECURSE ARAMID_KERNEL_SOURCES CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/kernel/*.cc ${PROJECT_SOURCE_DIR}/kernel/*.S)
list(FILTER ARAMID_KERNEL_SOURCES EXCLUDE REGEX "_test\\.cc$")

file(GLOB_RECURSE ARAMID_HAL_COMMON_SOURCES CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/hal/common/*.cc ${PROJECT_SOURCE_DIR}/hal/common/*.S)
list(FILTER ARAMID_HAL_COMMON_SOURCES EXCLUDE REGEX "_test\\.cc$")

# aramid_kernel_library(<name> BACKEND_INCLUDE <dir> [FREESTANDING])
function(aramid_kernel_library name)
  cmake_parse_arguments(ARG "FREESTANDING" "BACKEND_INCLUDE" "" ${ARGN})
  add_library(${name} STATIC ${ARAMID_KERNEL_SOURCES} ${ARAMID_HAL_COMMON_SOURCES})
  target_include_directories(${name} PUBLIC
    ${PROJECT_SOURCE_DIR}                  # "kernel/lib/result.h", "hal/common/..."
    ${PROJECT_SOURCE_DIR}/hal/include      # <hal/mmu.h>: the contract
    ${ARG_BACKEND_INCLUDE})                # <hal/backend/...>: the implementation
  target_compile_options(${name} PRIVATE ${ARAMID_WARNINGS})
  target_compile_options(${name} PUBLIC -fno-exceptions -fno-rtti)
  # kernel/vdso/image.S .incbin's the vDSO image (cmake/Vdso.cmake).
  target_include_directories(${name} PRIVATE ${ARAMID_VDSO_DIR})
  add_dependencies(${name} aramid_vdso)
  set_source_files_properties(${PROJECT_SOURCE_DIR}/kernel/vdso/image.S PROPERTIES
    OBJECT_DEPENDS ${ARAMID_VDSO_IMAGE})
  if(ARG_FREESTANDING)
    target_compile_options(${name} PUBLIC ${ARAMID_FREESTANDING_FLAGS})
  endif()
endfunction()
