"""Entry point: `python3 -m aramid_py COMMAND ...` (normally through tools/aramid)."""
import sys

from aramid_py.cli import main

sys.exit(main(sys.argv[1:]))
