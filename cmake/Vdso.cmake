# The vDSO image (issue #8): kernel/vdso/image/vdso.c built into a freestanding shared object
# ${ARAMID_VDSO_DIR}/linux-vdso.so, which kernel/vdso/image.S embeds with .incbin into both
# kernel builds (aramid_kernel_library adds ${ARAMID_VDSO_DIR} to the include path and the
# dependency). The host C compiler targets x86_64 Linux, which is what the vDSO is.
set(ARAMID_VDSO_DIR ${PROJECT_BINARY_DIR}/vdso)
set(ARAMID_VDSO_IMAGE ${ARAMID_VDSO_DIR}/linux-vdso.so)
set(vdso_src ${PROJECT_SOURCE_DIR}/kernel/vdso/image)
add_custom_command(OUTPUT ${ARAMID_VDSO_IMAGE}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${ARAMID_VDSO_DIR}
  COMMAND ${CMAKE_C_COMPILER} -O2 -fPIC -ffreestanding -fno-stack-protector -fno-builtin
          -fcf-protection=none -fvisibility=hidden -Wall -Wextra -Werror
          -I${PROJECT_SOURCE_DIR} -c ${vdso_src}/vdso.c -o ${ARAMID_VDSO_DIR}/vdso.o
  COMMAND ${CMAKE_C_COMPILER} -nostdlib -shared -Wl,-soname=linux-vdso.so.1
          -Wl,--hash-style=both -Wl,--eh-frame-hdr -Wl,-T,${vdso_src}/vdso.lds
          -Wl,--version-script=${vdso_src}/vdso.ver -Wl,--no-undefined
          -Wl,-z,max-page-size=4096 -Wl,--build-id=none -Wl,-z,noexecstack
          ${ARAMID_VDSO_DIR}/vdso.o -o ${ARAMID_VDSO_IMAGE}
  DEPENDS ${vdso_src}/vdso.c ${vdso_src}/vdso.lds ${vdso_src}/vdso.ver
          ${PROJECT_SOURCE_DIR}/kernel/vdso/vvar_abi.h
  COMMENT "Building the vDSO image linux-vdso.so"
  VERBATIM)
add_custom_target(aramid_vdso DEPENDS ${ARAMID_VDSO_IMAGE})
