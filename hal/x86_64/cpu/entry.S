/* Every way into and out of the kernel on x86_64 (DESIGN.md, "The trap model").
 *
 * Kernel -> user: aramid_enter_user(UserRegs*, use_sysret), called by Cpu::EnterUser on the
 *   task's own kernel stack. It saves the callee-saved registers there, records that stack
 *   pointer in the per-CPU area (and as TSS.rsp0 and the syscall stack), then sysretq or iretq.
 * User -> kernel: the syscall entry and the exception/interrupt stubs save the user registers
 *   into the UserRegs being run, record why (vector, error code, CR2) and return from
 *   aramid_enter_user through the recorded stack pointer. Interrupts run their handler first.
 * Kernel -> kernel: exceptions and interrupts taken in kernel mode push a TrapFrame and call
 *   aramid_kernel_trap; NMI, #DF and #MC run on IST stacks and never return.
 * [intel-sdm 3 §6.14, §5.8.8; amd-apm 2 §6.1.1] */
#include "hal/x86_64/cpu/asm_defs.h"

  .text

/* ---- interrupt and exception stubs: 16 bytes each, vector v at aramid_isr_table + 16*v ---- */
  .balign 16
  .globl aramid_isr_table
aramid_isr_table:
  .set vec, 0
  .rept 256
  .balign 16
  .if vec == 8 || vec == 10 || vec == 11 || vec == 12 || vec == 13 || vec == 14 || vec == 17 || vec == 21 || vec == 29 || vec == 30
  .else
  pushq $0                         /* no hardware error code: keep the frame uniform */
  .endif
  pushq $vec
  .if vec == 2 || vec == 8 || vec == 18
  jmp isr_paranoid
  .else
  jmp isr_common
  .endif
  .set vec, vec + 1
  .endr

/* Stack here: vector, error code, rip, cs, rflags, rsp, ss. */
isr_common:
  testb $3, 24(%rsp)               /* CPL of the interrupted code */
  jnz from_user
  /* RFLAGS.VM also means user mode. Real CPUs never run virtual-8086 code in long mode, but
   * QEMU's TCG lets a ring-3 32-bit `iret` with VM set in the popped flags "return to vm86",
   * after which exceptions arrive with CS = 0 (found by debug=userfuzz). */
  testl $0x20000, 32(%rsp)
  jnz from_user
  pushq %rax
  pushq %rbx
  pushq %rcx
  pushq %rdx
  pushq %rsi
  pushq %rdi
  pushq %rbp
  pushq %r8
  pushq %r9
  pushq %r10
  pushq %r11
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  cld
  movq %rsp, %rdi
  /* A frame record whose return address is the interrupted rip, so backtraces walk through
   * the interrupted function. */
  pushq TF_RIP(%rdi)
  pushq %rbp
  movq %rsp, %rbp
  call aramid_kernel_trap
  addq $16, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %r11
  popq %r10
  popq %r9
  popq %r8
  popq %rbp
  popq %rdi
  popq %rsi
  popq %rdx
  popq %rcx
  popq %rbx
  popq %rax
  addq $16, %rsp                   /* vector and error code */
  iretq

/* From user mode: the CPU switched to TSS.rsp0, which is EnterUser's frame. */
from_user:
  swapgs
  pushq %rdi
  movq %gs:PERCPU_USER_REGS, %rdi
  movq %rax, UREGS_RAX(%rdi)
  movq %rbx, UREGS_RBX(%rdi)
  movq %rcx, UREGS_RCX(%rdi)
  movq %rdx, UREGS_RDX(%rdi)
  movq %rsi, UREGS_RSI(%rdi)
  movq %rbp, UREGS_RBP(%rdi)
  movq %r8, UREGS_R8(%rdi)
  movq %r9, UREGS_R9(%rdi)
  movq %r10, UREGS_R10(%rdi)
  movq %r11, UREGS_R11(%rdi)
  movq %r12, UREGS_R12(%rdi)
  movq %r13, UREGS_R13(%rdi)
  movq %r14, UREGS_R14(%rdi)
  movq %r15, UREGS_R15(%rdi)
  popq UREGS_RDI(%rdi)
  movq $-1, UREGS_ORIG_RAX(%rdi)
  popq %gs:PERCPU_TRAP_VECTOR
  popq %gs:PERCPU_TRAP_ERROR
  popq UREGS_RIP(%rdi)
  popq UREGS_CS(%rdi)
  popq UREGS_EFLAGS(%rdi)
  popq UREGS_RSP(%rdi)
  popq UREGS_SS(%rdi)
  movq %cr2, %rax
  movq %rax, %gs:PERCPU_TRAP_CR2
  /* Interrupt delivery keeps RFLAGS.AC and DF: clear every flag (SMAP back on, cld). */
  pushq $2
  popfq
  cmpq $32, %gs:PERCPU_TRAP_VECTOR
  jb aramid_return_to_enter_user
  /* An interrupt: run its handler on this task's kernel stack, then report kInterrupt. */
  movq %gs:PERCPU_ENTER_RSP, %rsp
  movq %gs:PERCPU_TRAP_VECTOR, %rdi
  call aramid_user_interrupt
  jmp aramid_return_to_enter_user

/* NMI, double fault, machine check: on their own IST stacks, never trusting GS (an NMI can
 * arrive between syscall and swapgs). They report and stop the machine. */
isr_paranoid:
  pushq %rax
  pushq %rbx
  pushq %rcx
  pushq %rdx
  pushq %rsi
  pushq %rdi
  pushq %rbp
  pushq %r8
  pushq %r9
  pushq %r10
  pushq %r11
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  cld
  movq %rsp, %rdi
  pushq TF_RIP(%rdi)
  pushq %rbp
  movq %rsp, %rbp
  call aramid_paranoid_trap
  ud2

/* ---- syscall: rcx = user rip, r11 = user rflags; SFMASK cleared IF, DF, TF, AC, ... ---- */
  .globl aramid_syscall_entry
  .type aramid_syscall_entry, @function
aramid_syscall_entry:
  swapgs
  movq %rsp, %gs:PERCPU_USER_RSP
  movq %gs:PERCPU_KERNEL_RSP, %rsp
  pushq %rdi
  movq %gs:PERCPU_USER_REGS, %rdi
  movq %rax, UREGS_RAX(%rdi)
  movq %rax, UREGS_ORIG_RAX(%rdi)
  movq %rbx, UREGS_RBX(%rdi)
  movq %rcx, UREGS_RCX(%rdi)
  movq %rdx, UREGS_RDX(%rdi)
  movq %rsi, UREGS_RSI(%rdi)
  movq %rbp, UREGS_RBP(%rdi)
  movq %r8, UREGS_R8(%rdi)
  movq %r9, UREGS_R9(%rdi)
  movq %r10, UREGS_R10(%rdi)
  movq %r11, UREGS_R11(%rdi)
  movq %r12, UREGS_R12(%rdi)
  movq %r13, UREGS_R13(%rdi)
  movq %r14, UREGS_R14(%rdi)
  movq %r15, UREGS_R15(%rdi)
  popq UREGS_RDI(%rdi)
  movq %rcx, UREGS_RIP(%rdi)
  movq %r11, UREGS_EFLAGS(%rdi)
  movq %gs:PERCPU_USER_RSP, %rax
  movq %rax, UREGS_RSP(%rdi)
  movq $GDT_USER_CS, UREGS_CS(%rdi)
  movq $GDT_USER_DS, UREGS_SS(%rdi)
  movq $TRAP_VECTOR_SYSCALL, %gs:PERCPU_TRAP_VECTOR
  movq $0, %gs:PERCPU_TRAP_ERROR
  jmp aramid_return_to_enter_user
  .size aramid_syscall_entry, . - aramid_syscall_entry

/* A 32-bit `syscall` cannot happen (no compat code segment); stop loudly if it does. */
  .globl aramid_syscall_compat_entry
aramid_syscall_compat_entry:
  swapgs
  movq %gs:PERCPU_KERNEL_RSP, %rsp
  call aramid_compat_syscall
  ud2

/* Back into Cpu::EnterUser: unwind aramid_enter_user's frame. */
  .globl aramid_return_to_enter_user
aramid_return_to_enter_user:
  movq %gs:PERCPU_ENTER_RSP, %rsp
  addq $8, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret

/* void aramid_enter_user(UserRegs* regs, u64 use_sysret): regs already sanitized by C++. */
  .globl aramid_enter_user
  .type aramid_enter_user, @function
aramid_enter_user:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $8, %rsp                    /* 16-byte aligned: interrupt handlers run from here */
  cli
  movq %rsp, %gs:PERCPU_ENTER_RSP
  movq %rsp, %gs:PERCPU_KERNEL_RSP
  movq %gs:PERCPU_TSS_RSP0, %rax
  movq %rsp, (%rax)
  movq %rdi, %gs:PERCPU_USER_REGS
  testq %rsi, %rsi
  jnz 1f
  pushq UREGS_SS(%rdi)
  pushq UREGS_RSP(%rdi)
  pushq UREGS_EFLAGS(%rdi)
  pushq UREGS_CS(%rdi)
  pushq UREGS_RIP(%rdi)
  movq UREGS_RAX(%rdi), %rax
  movq UREGS_RBX(%rdi), %rbx
  movq UREGS_RCX(%rdi), %rcx
  movq UREGS_RDX(%rdi), %rdx
  movq UREGS_RSI(%rdi), %rsi
  movq UREGS_RBP(%rdi), %rbp
  movq UREGS_R8(%rdi), %r8
  movq UREGS_R9(%rdi), %r9
  movq UREGS_R10(%rdi), %r10
  movq UREGS_R11(%rdi), %r11
  movq UREGS_R12(%rdi), %r12
  movq UREGS_R13(%rdi), %r13
  movq UREGS_R14(%rdi), %r14
  movq UREGS_R15(%rdi), %r15
  movq UREGS_RDI(%rdi), %rdi
  swapgs
  iretq
1:
  /* sysretq: rip from rcx, rflags from r11 (the C++ side checked rip is canonical). */
  movq UREGS_RAX(%rdi), %rax
  movq UREGS_RBX(%rdi), %rbx
  movq UREGS_RIP(%rdi), %rcx
  movq UREGS_RDX(%rdi), %rdx
  movq UREGS_RSI(%rdi), %rsi
  movq UREGS_RBP(%rdi), %rbp
  movq UREGS_R8(%rdi), %r8
  movq UREGS_R9(%rdi), %r9
  movq UREGS_R10(%rdi), %r10
  movq UREGS_EFLAGS(%rdi), %r11
  movq UREGS_R12(%rdi), %r12
  movq UREGS_R13(%rdi), %r13
  movq UREGS_R14(%rdi), %r14
  movq UREGS_R15(%rdi), %r15
  /* Interrupts are off and NMIs use an IST stack, so running on the user stack for the last
   * two instructions is safe. */
  movq UREGS_RSP(%rdi), %rsp
  movq UREGS_RDI(%rdi), %rdi
  swapgs
  sysretq
  .size aramid_enter_user, . - aramid_enter_user

  .section .note.GNU-stack, "", @progbits
