/* Room for the kernel symbol table (kernel/debug/symbols.h). tools/ksyms writes the table into
 * this section of the linked image in place, so its size must not change: raise KSYMS_SIZE
 * when ksyms says the table does not fit. */
#define KSYMS_SIZE (768 * 1024)
  .section .ksyms, "a"
  .balign 64
  .fill KSYMS_SIZE, 1, 0

  .section .note.GNU-stack, "", @progbits
