#pragma once
/// The ELF loader: checks an executable's headers and maps its PT_LOAD segments into an
/// address space, with Linux's errors for each malformed input [linux fs/binfmt_elf.c]:
/// ENOEXEC for a file that is not an x86_64 ELF executable or whose program headers cannot
/// be read; EIO when PT_INTERP or the interpreter's header runs past the end of its file;
/// ELIBBAD for an interpreter that is not one; EINVAL for segments that cannot be mapped.
#include "kernel/elf/elf.h"
#include "kernel/elf/exec_file.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vector.h"
#include "kernel/mm/address_space.h"

namespace kernel::elf {

/// A checked ELF header with its program headers.
struct ElfImage {
  Ehdr header;
  lib::Vector<Phdr> phdrs;
  /// PT_GNU_STACK asked for an executable stack.
  bool exec_stack = false;
};

/// Where MapImage puts an ET_DYN image (an ET_EXEC image always goes at its link address).
enum class Placement : u8 {
  kPieWithInterpreter,  ///< at ELF_ET_DYN_BASE, as Linux places a dynamically linked PIE
  kAnywhere,            ///< wherever mmap would (static-pie executables, interpreters)
};

/// What MapImage did: the values the initial stack's auxiliary vector reports.
struct LoadedImage {
  u64 bias = 0;       ///< added to every p_vaddr (0 for ET_EXEC)
  u64 entry = 0;      ///< e_entry + bias
  u64 phdr_addr = 0;  ///< where the program headers are mapped (AT_PHDR), 0 if nowhere
  u64 end = 0;        ///< the end of the highest segment (the heap starts above it)
};

/// True when the first bytes of a file are an ELF header (the magic).
bool LooksLikeElf(const u8* head, usize n);

/// Checks the header (`head`: the file's first bytes, zero-padded to 64 if it is shorter)
/// and reads the program headers. ENOEXEC.
Result<ElfImage> ReadImage(ExecFile& file, const u8* head);

/// The path PT_INTERP names, or an empty string when there is none. ENOEXEC (bad length, no
/// NUL), EIO (past the end of the file), ENOMEM.
Result<lib::String> ReadInterpreterPath(ExecFile& file, const ElfImage& image);

/// Reads an interpreter's header and program headers: EIO when the file is shorter than an
/// ELF header, ELIBBAD when it is not an x86_64 ELF or its program headers are bad, EINVAL
/// when it is neither ET_EXEC nor ET_DYN.
Result<ElfImage> ReadInterpreter(ExecFile& file);

/// Maps the PT_LOAD segments of `image` into `as`: file pages private, the BSS zeroed
/// (including the end of the last file page), protections from p_flags. The file-backed
/// pages of writable segments are populated (private copies made) before execve returns, so
/// that the image is complete in the address space a later fork copies.
Result<LoadedImage> MapImage(mm::AddressSpace& as, ExecFile& file, const ElfImage& image,
                             Placement placement);

}  // namespace kernel::elf
