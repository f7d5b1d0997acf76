"""Drives a program on a pseudo-terminal the way a person at the serial console would.

Used by the QEMU login tests: start `tools/aramid run`, wait for text, type, wait again.
Every wait has a deadline; a miss raises with the last screenful of output, so a failing test
says what the console actually showed.
"""
from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import time


class ConsoleTimeout(AssertionError):
    pass


class ConsoleSession:
    def __init__(self, argv: list[str], cwd: str | None = None):
        master, slave = pty.openpty()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.master = master
        self.output = b""   # everything seen so far
        self._pos = 0       # where the next expect() starts looking

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the other side closed
            chunk = b""
        if not chunk:
            return False
        self.output += chunk
        return True

    def expect(self, pattern: str | bytes, timeout: float = 30.0) -> re.Match:
        """Waits until `pattern` (a regex) appears after the previous match."""
        regex = re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
        deadline = time.monotonic() + timeout
        while True:
            match = regex.search(self.output, self._pos)
            if match:
                self._pos = match.end()
                return match
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._read(min(remaining, 0.5)):
                if match := regex.search(self.output, self._pos):
                    self._pos = match.end()
                    return match
                tail = self.output[-2000:].decode(errors="replace")
                raise ConsoleTimeout(f"did not see {regex.pattern!r} within {timeout:g}s; "
                                     f"the console showed:\n{tail}")

    def send(self, text: str | bytes) -> None:
        os.write(self.master, text.encode() if isinstance(text, str) else text)

    def sendline(self, text: str) -> None:
        self.send(text + "\r")

    def wait(self, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(0.2)
        if self.proc.poll() is None:
            self.kill()
            raise ConsoleTimeout(f"the program did not end within {timeout:g}s")
        return self.proc.returncode

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()

    def close(self) -> None:
        self.kill()
        os.close(self.master)
