"""Drive `tui.cli.main` in a loop in one process and report each write on stdout.

Used by the durability and concurrency tests (not collected by pytest):

    python tests/helpers/cli_loop.py --db P --catalog C --mode durable --start 0 --count 500

Every operation prints "start <op>" before `main()` is called and
"ok <op>" (or "rc <code> <op> :: <stderr>") after it returned, flushed at
once, so a parent that SIGKILLs this process knows which writes returned
success. The CLI's own output goes to a buffer, not to stdout.

Modes:
  durable  cycles through `pain S --note <prefix>N`, `done HABIT --date D(N)`, and
           then either `undo` of that check-in or `skip HABIT --date D(N)`;
           D(N) is a distinct past day for each N, so every write has its own key.
  pain     only `pain S --note <prefix>N` (append-only, for counting rows).

With --fork-server the process imports everything once, then reads commands
from stdin: "round START" forks a child that writes ops START, START+1, ...
(--count of them) and prints "pid <child>"; once that child has ended
(normally killed by the test) it prints "reaped <child> <status>". "quit"
ends it. Forking a fresh child per round is a new writer process without
paying for the interpreter start-up and imports every time.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import time
from datetime import date, timedelta

from tui.cli import main

BASE_DAY = date(2020, 1, 1)
STDOUT_FD = sys.stdout.fileno()  # main() runs with sys.stdout redirected to a buffer
HABITS = ("stand-up", "firm-chair", "bird-dog", "walk")


def day_for(n: int) -> date:
    """A distinct past day for each operation number."""
    return BASE_DAY - timedelta(days=n)


def operations(mode: str, start: int, count: int, prefix: str) -> list[tuple[str, list[str]]]:
    ops: list[tuple[str, list[str]]] = []
    for n in range(start, start + count):
        if mode == "pain" or n % 3 == 0:
            ops.append((f"pain {prefix}{n}", ["pain", str(n % 11), "--note", f"{prefix}{n}"]))
            continue
        if n % 3 == 1:
            verb, m = "done", n
        elif (n // 3) % 2 == 0:
            verb, m = "undo", n - 1  # takes back the check-in just made
        else:
            verb, m = "skip", n
        habit, day = HABITS[m % len(HABITS)], day_for(m).isoformat()
        ops.append((f"{verb} {habit} {day}", [verb, habit, "--date", day]))
    return ops


def emit(line: str) -> None:
    """One line, in one write(2): a SIGKILL cannot leave half of it in the pipe."""
    os.write(STDOUT_FD, f"{line}\n".encode())


def run_ops(args: argparse.Namespace, start: int) -> int:
    failures = 0
    for label, argv in operations(args.mode, start, args.count, args.prefix):
        emit(f"start {label}")
        sink_out, sink_err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(sink_out), contextlib.redirect_stderr(sink_err):
            code = main(["--db", args.db, "--catalog", args.catalog, *argv])
        if code == 0:
            emit(f"ok {label}")
        else:
            failures += 1
            err = sink_err.getvalue().strip().replace("\n", " | ")
            emit(f"rc {code} {label} :: {err}")
    emit("finished")
    return 1 if failures else 0


def fork_server(args: argparse.Namespace) -> int:
    # Import what the first main() call would, so each child starts writing at once.
    import store.queries  # noqa: F401
    import tui.config  # noqa: F401

    emit("ready")
    for line in sys.stdin:
        command = line.split()
        if not command or command[0] == "quit":
            break
        start = int(command[1])
        pid = os.fork()
        if pid == 0:  # the child: one writer, until it is killed
            code = 2
            try:
                code = run_ops(args, start)
            finally:
                os._exit(code)
        emit(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        emit(f"reaped {pid} {status}")
    return 0


def main_loop() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--catalog", required=True)
    parser.add_argument("--mode", choices=("durable", "pain"), default="durable")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--prefix", default="w")
    parser.add_argument(
        "--go-file", default=None, help="wait until this file exists before the first write"
    )
    parser.add_argument("--fork-server", action="store_true")
    args = parser.parse_args()

    if args.fork_server:
        return fork_server(args)
    emit("ready")
    if args.go_file:
        deadline = time.monotonic() + 30
        while not os.path.exists(args.go_file) and time.monotonic() < deadline:
            time.sleep(0.002)
    return run_ops(args, args.start)


if __name__ == "__main__":
    sys.exit(main_loop())
