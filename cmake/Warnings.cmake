# Warnings are errors in the kernel and in the HAL; host-side code gets the same set.
set(ARAMID_WARNINGS
  -Wall -Wextra -Werror -Wshadow=local -Wnon-virtual-dtor -Wimplicit-fallthrough
  -Wno-missing-field-initializers)

# Flags for the host build of the kernel library (hostsim). Sanitizers only here and in
# host-side code: the freestanding image never links a runtime.
# Host targets link aramid_host_options; the freestanding image never does.
add_library(aramid_host_options INTERFACE)
target_compile_options(aramid_host_options INTERFACE -fno-omit-frame-pointer)
if(ARAMID_SANITIZE)
  # -fno-sanitize=vptr: the kernel and the tests build with -fno-rtti while hal/hostsim and
  # sim/ keep RTTI, and UBSan's vptr check reports every virtual call across that line
  # (an observer or UserMode implemented in a test, called from hostsim) as a bad object.
  target_compile_options(aramid_host_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-sanitize=vptr)
  target_link_options(aramid_host_options INTERFACE -fsanitize=address,undefined)
endif()

# Freestanding flags for kernel/ and hal/x86_64 in the image (measured in QEMU-NOTES.md).
set(ARAMID_FREESTANDING_FLAGS
  -ffreestanding -fno-exceptions -fno-rtti -fno-threadsafe-statics -nostdlib
  -mno-red-zone -mcmodel=kernel -fno-pic -fno-pie -mgeneral-regs-only
  -fno-stack-protector -fno-asynchronous-unwind-tables -fcf-protection=none
  -fno-omit-frame-pointer -fno-strict-aliasing -mno-sse -mno-mmx -mno-avx)
