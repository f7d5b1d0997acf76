"""Just enough ELF64 reading for the tools: the symbol table of the kernel image.

[elf-gabi "Sections", "Symbol Table"]: the section header table at e_shoff holds e_shnum
entries of e_shentsize bytes; SHT_SYMTAB (2) sections list Elf64_Sym entries whose names
live in the string table named by sh_link.
"""
from __future__ import annotations

import struct
from pathlib import Path

SHT_SYMTAB = 2
_EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
_SHDR = struct.Struct("<IIQQQQIIQQ")
_SYM = struct.Struct("<IBBHQQ")


class ElfError(ValueError):
    pass


def symbols(path: Path) -> dict[str, int]:
    """Name -> value of every named symbol in the ELF64 little-endian file at `path`."""
    data = Path(path).read_bytes()
    if len(data) < _EHDR.size or data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ElfError(f"{path}: not an ELF64 little-endian file")
    (_, _, _, _, _, _, shoff, _, _, _, _, shentsize, shnum, _) = _EHDR.unpack_from(data)
    sections = [_SHDR.unpack_from(data, shoff + i * shentsize) for i in range(shnum)]
    result: dict[str, int] = {}
    for (_, sh_type, _, _, offset, size, link, _, _, entsize) in sections:
        if sh_type != SHT_SYMTAB or entsize == 0:
            continue
        str_offset, str_size = sections[link][4], sections[link][5]
        strtab = data[str_offset:str_offset + str_size]
        for i in range(size // entsize):
            name_off, _, _, _, value, _ = _SYM.unpack_from(data, offset + i * entsize)
            if name_off:
                end = strtab.index(b"\0", name_off)
                result[strtab[name_off:end].decode(errors="replace")] = value
    return result
