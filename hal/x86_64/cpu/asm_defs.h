/* Constants shared by the entry stubs (cpu/entry.S) and C++; plain #defines so that assembly
 * can include this file. C++ static_asserts them against the structures they describe
 * (cpu/percpu.h, cpu/trap_frame.h, hal::UserRegs). */
#pragma once

/* Selectors; the order is fixed by syscall/sysret [intel-sdm 2 SYSRET]: STAR[47:32] = kernel
 * CS (SS = +8), STAR[63:48] = sysret base (SS = base+8, 64-bit CS = base+16). The values
 * equal Linux's, so user code sees the same cs/ss as on Linux. */
#define GDT_KERNEL_CS 0x10
#define GDT_KERNEL_DS 0x18
#define GDT_USER32_BASE 0x23 /* sysret base; no 32-bit user code segment is installed */
#define GDT_USER_DS 0x2b
#define GDT_USER_CS 0x33
#define GDT_TSS 0x40

/* IST slots [intel-sdm 3 §6.14.5]. */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3

/* struct PerCpu (cpu/percpu.h). */
#define PERCPU_SELF 0
#define PERCPU_KERNEL_RSP 8
#define PERCPU_USER_RSP 16
#define PERCPU_USER_REGS 24
#define PERCPU_ENTER_RSP 32
#define PERCPU_TRAP_VECTOR 40
#define PERCPU_TRAP_ERROR 48
#define PERCPU_TRAP_CR2 56
#define PERCPU_TSS_RSP0 64

/* The vector number the syscall entry records: not an IDT vector. */
#define TRAP_VECTOR_SYSCALL 256

/* hal::UserRegs (Linux's user_regs_struct order). */
#define UREGS_R15 0
#define UREGS_R14 8
#define UREGS_R13 16
#define UREGS_R12 24
#define UREGS_RBP 32
#define UREGS_RBX 40
#define UREGS_R11 48
#define UREGS_R10 56
#define UREGS_R9 64
#define UREGS_R8 72
#define UREGS_RAX 80
#define UREGS_RCX 88
#define UREGS_RDX 96
#define UREGS_RSI 104
#define UREGS_RDI 112
#define UREGS_ORIG_RAX 120
#define UREGS_RIP 128
#define UREGS_CS 136
#define UREGS_EFLAGS 144
#define UREGS_RSP 152
#define UREGS_SS 160

/* struct TrapFrame (cpu/trap_frame.h): 15 GPRs, vector, error code, the hardware frame. */
#define TF_VECTOR 120
#define TF_RIP 136
