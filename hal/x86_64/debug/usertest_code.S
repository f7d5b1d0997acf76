/* The user program of `debug=usertest` (debug/usertest.cc checks each trap it causes). It is
 * copied to a user page at 0x400000 and runs in ring 3; it must be position independent. */
  .section .rodata
  .balign 16
  .globl aramid_usertest_code
aramid_usertest_code:
  /* 1: a syscall; the kernel answers rax = 0x2222 */
  movl $1, %eax
  movl $0x1111, %edi
  syscall
  /* 2: echo the answer back */
  movq %rax, %rdi
  movl $2, %eax
  syscall
  /* 3: #UD with rcx/r11 live: the kernel skips the ud2; the iretq path must keep rcx, r11 */
  movq $0x1234, %rcx
  movq $0x5678, %r11
  .globl aramid_usertest_ud2
aramid_usertest_ud2:
  ud2
  movq %rcx, %rdi
  movq %r11, %rsi
  movl $3, %eax
  syscall
  /* 4: a read of an unmapped page; the kernel skips the 3-byte load */
  movl $0xdead000, %eax
  .globl aramid_usertest_pf
aramid_usertest_pf:
  movq (%rax), %rbx
  /* 5: FPU state survives the kernel loading another task's state and restoring ours */
  movabsq $0x4242424242424242, %rax
  movq %rax, %xmm0
  movl $5, %eax
  syscall
  movq %xmm0, %rdi
  movl $6, %eax
  syscall
  /* 7: FS and GS bases set by the kernel (gs through swapgs and KERNEL_GS_BASE) */
  movq %fs:8, %rdi
  movq %gs:16, %rsi
  movl $7, %eax
  syscall
  /* 7c: single-stepping into a syscall: TF must neither crash the kernel nor leak into it */
  pushfq
  orq $0x100, (%rsp)
  popfq
  nop
  movl $8, %eax
  syscall
  /* 7: spin until the kernel sets rbx after a timer interrupt (kInterrupt) */
  xorl %ebx, %ebx
1:
  testq %rbx, %rbx
  jz 1b
  /* 8: done */
  movl $60, %eax
  syscall
  ud2
  .globl aramid_usertest_code_end
aramid_usertest_code_end:

  .section .note.GNU-stack, "", @progbits
