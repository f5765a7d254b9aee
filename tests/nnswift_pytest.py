"""Helpers shared by the pytest suites (tests/bindings, python/tests): running a command with a
checked exit status, and the one-line summary scripts/test.sh reads from each stage."""
import shlex
import subprocess
from pathlib import Path


def run_command(cmd, want=0, *, cwd=None, env=None, timeout=1800, merge=False, save=None, label=None):
    """Runs cmd (its items as strings). merge: standard error into standard output. save: a file
    for the standard output. want: the exit status to assert (None: no check), the message with
    the last 20 lines of output. Returns the subprocess.CompletedProcess."""
    cmd = [str(c) for c in cmd]
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT if merge else subprocess.PIPE, text=True, timeout=timeout)
    if save is not None:
        Path(save).write_text(p.stdout)
    if want is not None and p.returncode != want:
        tail = "\n".join((p.stdout + (p.stderr or "")).splitlines()[-20:])
        raise AssertionError(f"{label or shlex.join(cmd)}: exit {p.returncode}, expected {want}\n{tail}")
    return p


def write_stage_summary(terminalreporter, stage):
    """Writes 'STAGE: N passed, M failed, K skipped' (errors count as failed) for scripts/test.sh."""
    stats = terminalreporter.stats
    count = lambda *keys: sum(len([r for r in stats.get(k, []) if getattr(r, "when", "call") in ("call", "setup")])
                              for k in keys)
    terminalreporter.write_line(f"{stage}: {count('passed')} passed, {count('failed', 'error')} failed, "
                                f"{count('skipped')} skipped")
