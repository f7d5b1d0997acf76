"""`tools/aramid run` through a pseudo-terminal, as a person at the serial console uses it.

Waits for `login:`, logs in as root (empty password), checks the shell basics issue #8 names
(uname, a pipe, command substitution, Ctrl-C of a foreground job, background jobs, vi, the
pseudo filesystems mounted by the overlay's sysinit), logs out, sees the getty respawn, and powers off:
QEMU must then exit 0.

usage: run_login_test.py --kernel linux|aramid
"""
import argparse
import sys
import time

import tooltest
from console_session import ConsoleSession

EOL = r"\r*\n"  # the guest's ONLCR, and QEMU's stdio which keeps OPOST
PROMPT = r"aramid:~# "


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kernel", default="aramid")
    opts = parser.parse_args()
    log = tooltest.BUILD / "test-logs" / f"run-login-{opts.kernel}.kernel.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    s = ConsoleSession([str(tooltest.ROOT / "tools" / "aramid"), "run", "--no-build",
                        "--kernel", opts.kernel, "--log", str(log)])
    try:
        s.expect(r"aramid login: ", timeout=120)
        print(f"login: after {time.monotonic() - started:.1f} s")
        s.sendline("root")
        s.expect(PROMPT, timeout=30)

        def run(command: str, expected: str, timeout: float = 30):
            s.sendline(command)
            match = s.expect(expected, timeout)
            s.expect(PROMPT, timeout)
            return match

        run("uname -a", r"Linux aramid \S+ .* x86_64")
        run("echo hello | cat", r"\nhello" + EOL)
        run("echo $(echo foo)", r"\nfoo" + EOL)
        run("hostname", r"\naramid" + EOL)
        # The overlay's sysinit mounted the pseudo filesystems (sorted, one line).
        run("cut -d' ' -f2,3 /proc/mounts | sort | tr '\\n' ,",
            r"/dev devtmpfs,/dev/pts devpts,/dev/shm tmpfs,/proc proc,/run tmpfs,/sys sysfs,"
            r"/tmp tmpfs,")
        s.sendline("sleep 10")
        time.sleep(1.0)
        s.send("\x03")  # ^C: the prompt must come back long before 10 s
        s.expect(PROMPT, timeout=5)
        s.sendline("sleep 100 &")
        s.expect(PROMPT)
        run("jobs", r"\[1\]\+ +Running +sleep 100")
        run("kill %1; wait", r"Terminated")
        run("/aramid/bin/hello", r"hello from a static musl program" + EOL)
        # vi draws its screen, takes an insert and :wq, and the file holds what was typed.
        s.sendline("vi /tmp/note")
        s.expect(r"~.*- /tmp/note 1/1", timeout=30)  # the empty buffer's tildes and status line
        s.send("i")
        s.expect(r"I /tmp/note", timeout=10)        # the status line shows insert mode
        s.send("hello from vi\x1b")
        time.sleep(0.3)
        s.send(":wq\r")
        s.expect(PROMPT, timeout=30)
        run("cat /tmp/note", r"\nhello from vi" + EOL)
        s.sendline("exit")
        s.expect(r"aramid login: ", timeout=30)  # the getty respawned
        s.sendline("root")
        s.expect(PROMPT, timeout=30)
        s.sendline("poweroff")
        status = s.wait(timeout=60)
        if status != 0:
            raise AssertionError(f"QEMU exited with {status} after poweroff, expected 0")
        print(f"ok: login, shell, getty respawn and poweroff in {time.monotonic() - started:.1f} s")
        return 0
    except AssertionError as failure:
        print(f"FAILED: {failure}")
        return 1
    finally:
        s.close()


if __name__ == "__main__":
    sys.exit(main())
