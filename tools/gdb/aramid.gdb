# tools/gdb/aramid.gdb: debug Aramid running in QEMU through QEMU's gdbstub.
#
#   qemu-system-x86_64 ... -kernel build/aramid.elf -s -S      # gdbstub on :1234, CPU stopped
#   gdb -x tools/gdb/aramid.gdb                                 # from the source tree
#
# The ELF is build/aramid.elf relative to the current directory unless `file` was given first
# (gdb -ex 'file path/to/aramid.elf' -x ...); the port is $ARAMID_GDB_PORT (default 1234).
# `tools/aramid run --gdb` starts QEMU with -s -S and gdb with this script.
#
# Use hardware breakpoints (hbreak) until the kernel has switched to its own page tables:
# software breakpoints written before that land in memory gdb cannot see at the same address.
set confirm off
set pagination off
set print pretty on
set disassembly-flavor att
set architecture i386:x86-64

python
import os
import gdb
if gdb.current_progspace().filename is None:
    gdb.execute("file build/aramid.elf")
gdb.execute("target remote localhost:" + os.environ.get("ARAMID_GDB_PORT", "1234"))
end

# Stop where the first C++ runs and where a panic is reported.
define aramid-break-boot
  hbreak aramid_boot_main
end
document aramid-break-boot
Hardware breakpoint at the first C++ function (aramid_boot_main).
end

define aramid-break-panic
  hbreak kernel::Panic
  hbreak hal::x86_64::PanicWithFrame
end
document aramid-break-panic
Hardware breakpoints on kernel::Panic and on the kernel-mode exception reporter.
end

# The user registers EnterUser last saved (hal::UserRegs of the running task).
define aramid-user-regs
  print *(hal::UserRegs*)hal::x86_64::BootCpu().user_regs
end
document aramid-user-regs
Prints the hal::UserRegs that the entry stubs saved on the last trap from user mode.
end
