#pragma once
/// `#!` scripts [linux fs/binfmt_script.c]: the first line names an interpreter and at most
/// one argument, and execve runs `interpreter [argument] script-path args...` instead.
#include "kernel/lib/result.h"
#include "kernel/lib/string.h"

namespace kernel::elf {

/// How many bytes of a file execve looks at to decide what it is (BINPRM_BUF_SIZE).
inline constexpr usize kExecHeadSize = 256;

struct ScriptLine {
  lib::String interpreter;
  lib::String argument;  ///< empty when there is none
  bool has_argument = false;
};

/// True when `head` starts with "#!".
bool LooksLikeScript(const u8* head, usize n);

/// Parses the `#!` line from the first kExecHeadSize bytes of the file (zero-padded when the
/// file is shorter). ENOEXEC when there is no interpreter name, or when the line does not end
/// within those bytes and the name might be cut short.
Result<ScriptLine> ParseScriptLine(const u8 (&head)[kExecHeadSize]);

}  // namespace kernel::elf
