"""The Python side of tools/aramid: image builders, the QEMU runner and every subcommand.

tools/aramid (bash) installs the Debian packages first and then runs `python3 -m aramid_py`.
Only the Python standard library is used, so nothing beyond Debian's python3 is needed.
"""
