// The vDSO image (kernel/vdso/image/vdso.c, built by cmake/Vdso.cmake), embedded in the
// kernel. Page aligned so the kernel could map it in place; kernel/vdso/vdso.cc copies it.
  .section .rodata.aramid_vdso, "a"
  .balign 4096
  .globl aramid_vdso_image_start
aramid_vdso_image_start:
  .incbin "linux-vdso.so"
  .globl aramid_vdso_image_end
aramid_vdso_image_end:
  .section .note.GNU-stack, "", @progbits
