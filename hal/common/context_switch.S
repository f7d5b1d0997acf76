/* Kernel-stack switching, shared by hal/x86_64 and hal/hostsim (plain x86_64 code: hostsim is
 * an x86_64 Linux process). Only the callee-saved registers of the System V ABI are saved,
 * on the stack being left; a context is just its stack pointer.
 *
 * void aramid_context_switch(u64* save_rsp, u64 next_rsp);
 * void aramid_context_trampoline();   first "return address" of a new context: r12 = entry,
 *                                      r13 = argument. */
  .text
  .globl aramid_context_switch
  .type aramid_context_switch, @function
aramid_context_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size aramid_context_switch, . - aramid_context_switch

  .globl aramid_context_trampoline
  .type aramid_context_trampoline, @function
aramid_context_trampoline:
  movq %r13, %rdi
  xorl %ebp, %ebp
  callq *%r12
  ud2                              /* a kernel context's entry must never return */
  .size aramid_context_trampoline, . - aramid_context_trampoline

  .section .note.GNU-stack, "", @progbits
