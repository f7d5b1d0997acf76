// The stub's code, assembled by the compiler from the routines below (copied into the control
// memfd by StubArea). Position independent: it runs wherever the stub's control area is.
#include "hal/hostsim/native/stub_code.h"

// aramid_stub_code_begin + 0:  syscall gadget: the tracer loads rax and the argument registers
//                              and continues; the int3 stops the stub with the result in rax.
// aramid_stub_code_begin + 8:  rdtsc probe: a SIGSEGV here means PR_SET_TSC works on this host.
// aramid_stub_code_begin + 16: batch loop over StubCommand records at %rbx until nr == -1.
//                              Each result is stored back beside its command.
__asm__(R"(
  .pushsection .rodata.aramid_stub, "a"
  .balign 16
  .globl aramid_stub_code_begin
  .globl aramid_stub_code_end
aramid_stub_code_begin:
  syscall
  int3
  .balign 8, 0xcc
  rdtsc
  int3
  .balign 16, 0xcc
1:
  movq (%rbx), %rax
  cmpq $-1, %rax
  je 2f
  movq 8(%rbx), %rdi
  movq 16(%rbx), %rsi
  movq 24(%rbx), %rdx
  movq 32(%rbx), %r10
  movq 40(%rbx), %r8
  movq 48(%rbx), %r9
  syscall
  movq %rax, 56(%rbx)
  addq $64, %rbx
  jmp 1b
2:
  int3
aramid_stub_code_end:
  .popsection
)");

extern "C" const uint8_t aramid_stub_code_begin[];
extern "C" const uint8_t aramid_stub_code_end[];

namespace hal::hostsim::native {

const uint8_t* StubCodeBytes() { return aramid_stub_code_begin; }
size_t StubCodeSize() { return static_cast<size_t>(aramid_stub_code_end - aramid_stub_code_begin); }

}  // namespace hal::hostsim::native
