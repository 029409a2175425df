#!/usr/bin/env python3
"""Set up summit in ./.venv (once) and start it.

    python3 run.py              set up, then play (the Textual game; same as `summit play`)
    python3 run.py ARGS...      set up, then `summit play ARGS...`
    python3 run.py test         set up with the test extras, then run ruff and the test suite

Set-up is skipped when .venv already holds an install of the current pyproject.toml.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


# Play one summit so numba compiles the rules' kernels into its on-disk cache now, not when the
# first game starts.
WARM_UP = (
    "import summit.rules.game as g, summit.catalog as c, summit.scenario as s; "
    "g.play(s.load_spec(c.resolve('jerusalem-2019')), [0])"
)


def _fingerprint() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_venv(extras: str = "") -> None:
    """Create .venv and install summit (editable) unless the same install is already there."""
    if sys.version_info < (3, 12):  # noqa: UP036 - run.py is what tells an older Python to step aside
        sys.exit(
            f"summit needs Python 3.12 or newer; this is {sys.version.split()[0]}. "
            "Run it with python3.12 (or let pyenv pick 3.12 from .python-version)."
        )
    marker = VENV / ".summit-installed"
    have = marker.read_text().split() if marker.exists() else []
    # An install with the test extras also serves plain play.
    if PY.exists() and have[:1] == [_fingerprint()] and (not extras or extras in have[1:]):
        return
    if not PY.exists():
        print("summit: creating .venv ...", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    print(
        "summit: installing dependencies into .venv (first run only) ...",
        file=sys.stderr,
        flush=True,
    )
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["-e", f".{extras}"], check=True, cwd=ROOT)
    print("summit: compiling the rules (first run only) ...", file=sys.stderr, flush=True)
    subprocess.run([str(PY), "-c", WARM_UP], check=True, cwd=ROOT)
    marker.write_text(" ".join([_fingerprint(), *([extras] if extras else [])]))


def main(argv: list[str]) -> int:
    if argv[:1] == ["test"]:
        ensure_venv("[test]")
        ruff = subprocess.run(
            [str(PY), "-m", "ruff", "check", "summit", "tests", "benchmarks", "run.py"], cwd=ROOT
        )
        if ruff.returncode:
            return ruff.returncode
        return subprocess.run([str(PY), "-m", "pytest", "-n", "2", *argv[1:]], cwd=ROOT).returncode
    ensure_venv()
    os.execv(str(PY), [str(PY), "-m", "summit", "play", *argv])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
