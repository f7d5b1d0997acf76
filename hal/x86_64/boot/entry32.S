/* 32-bit entry for both boot protocols, then long mode and a jump to the higher half.
 *  - PVH (qemu -kernel): the Xen ELF note below; eax undefined (qboot on microvm passes the
 *    Multiboot1 magic), ebx = physical address of hvm_start_info (magic 0x336ec578).
 *  - Multiboot2 (GRUB): the header below; eax = 0x36d76289, ebx = physical address of the MBI.
 * Both enter in 32-bit protected mode with paging off and flat segments. [xen pvh.html],
 * [multiboot2 §3.3]. */

#define KERNEL_VMA 0xffffffff80000000
#define PHYS(x) ((x) - KERNEL_VMA)

/* ---- Multiboot2 header [multiboot2 §3.1]: 8-byte aligned, in the first 32 KiB. ---- */
  .section .multiboot2, "a"
  .balign 8
mb2_header:
  .long 0xe85250d6                 /* magic */
  .long 0                          /* architecture: i386 protected mode */
  .long mb2_header_end - mb2_header
  .long -(0xe85250d6 + 0 + (mb2_header_end - mb2_header))
  /* entry address tag: GRUB jumps here (a physical address) */
  .balign 8
  .short 3, 0
  .long 12
  .long aramid_entry32
  /* end tag */
  .balign 8
  .short 0, 0
  .long 8
mb2_header_end:

/* ---- PVH entry note: XEN_ELFNOTE_PHYS32_ENTRY (18); QEMU reads 8 bytes on ELF64. ---- */
  .section .note.Xen, "a", @note
  .balign 4
  .long 4                          /* namesz */
  .long 8                          /* descsz */
  .long 18                         /* type */
  .asciz "Xen"
  .balign 4
  .quad aramid_entry32

  .section .boot.text, "ax"
  .code32
  .globl aramid_entry32
aramid_entry32:
  cli
  cld
  movl %eax, %edi                  /* boot magic (first argument of BootMain) */
  movl %ebx, %esi                  /* boot info physical address (second argument) */

  movl $boot_stack_top, %esp

  /* Page tables: the first 4 GiB with 2 MiB pages, identity mapped (PML4[0]) and at the
   * direct map base (PML4[273] = 0xffff888000000000, where boot structures are read), and the
   * first 1 GiB again at KERNEL_VMA (PML4[511] -> PDPT[510]). BootMain replaces all of it. */
  movl $boot_pd, %ebx
  xorl %ecx, %ecx
1:
  movl %ecx, %eax
  shll $21, %eax
  orl $0x83, %eax                  /* present | writable | 2 MiB */
  movl %eax, (%ebx, %ecx, 8)
  movl %ecx, %eax
  shrl $11, %eax                   /* bits 32+ of (ecx << 21) */
  movl %eax, 4(%ebx, %ecx, 8)
  incl %ecx
  cmpl $2048, %ecx
  jne 1b

  /* boot_pdpt_low[0..3] -> the four PDs */
  movl $boot_pd, %eax
  orl $0x3, %eax
  movl %eax, boot_pdpt_low
  movl %eax, boot_pdpt_high + 510 * 8
  addl $4096, %eax
  movl %eax, boot_pdpt_low + 8
  addl $4096, %eax
  movl %eax, boot_pdpt_low + 16
  addl $4096, %eax
  movl %eax, boot_pdpt_low + 24

  movl $boot_pdpt_low, %eax
  orl $0x3, %eax
  movl %eax, boot_pml4
  movl %eax, boot_pml4 + 273 * 8
  movl $boot_pdpt_high, %eax
  orl $0x3, %eax
  movl %eax, boot_pml4 + 511 * 8

  movl %cr4, %eax
  orl $(1 << 5), %eax              /* PAE */
  movl %eax, %cr4

  movl $boot_pml4, %eax
  movl %eax, %cr3

  movl $0xc0000080, %ecx           /* EFER */
  rdmsr
  orl $(1 << 8), %eax              /* LME */
  wrmsr

  movl %cr0, %eax
  orl $0x80000001, %eax            /* PG | PE */
  movl %eax, %cr0

  lgdt boot_gdt_ptr
  ljmp $0x08, $entry64_low

  .code64
entry64_low:
  movw $0x10, %ax
  movw %ax, %ds
  movw %ax, %es
  movw %ax, %ss
  xorw %ax, %ax
  movw %ax, %fs
  movw %ax, %gs
  /* Zero-extend the boot registers before using them as 64-bit values (QEMU-NOTES.md). */
  movl %edi, %edi
  movl %esi, %esi
  movabsq $aramid_entry64, %rax
  jmp *%rax

  .section .boot.data, "aw"
  .balign 4096
boot_pml4:      .fill 512, 8, 0
boot_pdpt_low:  .fill 512, 8, 0
boot_pdpt_high: .fill 512, 8, 0
boot_pd:        .fill 2048, 8, 0
  .balign 16
boot_stack:     .fill 1024, 1, 0
boot_stack_top:

  .balign 8
boot_gdt:
  .quad 0
  .quad 0x00af9a000000ffff         /* 0x08: 64-bit code */
  .quad 0x00cf92000000ffff         /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
  .short boot_gdt_end - boot_gdt - 1
  .long boot_gdt

/* ---- 64-bit, higher half ---- */
  .section .text.entry64, "ax"
  .globl aramid_entry64
aramid_entry64:
  /* Clear .bss ourselves rather than trust every loader to; the boot stack lives there. */
  movq %rdi, %r12
  movq %rsi, %r13
  movabsq $aramid_bss_start, %rdi
  movabsq $aramid_bss_end, %rcx
  subq %rdi, %rcx
  xorl %eax, %eax
  rep stosb
  movq %r12, %rdi
  movq %r13, %rsi
  movabsq $kernel_boot_stack_top, %rsp
  xorl %ebp, %ebp
  /* rdi = magic, rsi = boot info phys: hal::x86_64::BootMain(u32, u64) */
  call aramid_boot_main
1:
  cli
  hlt
  jmp 1b

  .section .bss
  /* An unmapped guard page under the boot stack (InitKernelPageTables leaves it out): an
   * overflow faults, and the #PF that cannot be pushed becomes a #DF on its IST stack. */
  .balign 4096
  .globl aramid_boot_stack_guard
aramid_boot_stack_guard:
  .fill 4096, 1, 0
kernel_boot_stack:
  .fill 65536, 1, 0
  .globl kernel_boot_stack_top
kernel_boot_stack_top:
