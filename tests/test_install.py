"""summit as an installed package: build the wheel, install it into a new virtual environment
and play a shipped scenario from a folder that has no scenarios/ of its own.

The new environment gets summit from the wheel only; its dependencies are the ones already
installed for the tests (made visible by a .pth file), so the test needs no network and checks
what the wheel itself holds: the code, the console script and the scenarios.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("setuptools")
    source = tmp_path_factory.mktemp("source")
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in tracked:  # a clean copy: no build/ or egg-info left in the checkout
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(source),
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
        ],
        check=True,
        timeout=300,
    )
    return next(out.glob("summit-*.whl"))


def test_the_wheel_holds_the_scenarios_and_history_cases(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {
        Path(n).relative_to("summit/_scenarios").as_posix()
        for n in names
        if n.startswith("summit/_scenarios/")
    }
    home = {
        p.relative_to(ROOT / "scenarios").as_posix() for p in (ROOT / "scenarios").rglob("*.toml")
    }
    assert home and shipped == home
    assert "summit/scenario/format.py" in names


def test_installed_summit_plays_from_any_folder(wheel, tmp_path):
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The dependencies of the test environment, but not its own (editable) summit.
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}
    where = subprocess.run(
        [str(python), "-c", "import summit; print(summit.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(env_dir))  # the wheel's summit, not the checkout's
    listed = subprocess.run(
        [str(env_dir / "bin" / "summit"), "scenarios", "list"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert listed.returncode == 0 and "jerusalem-2019 " in listed.stdout, listed.stderr
    played = subprocess.run(
        [str(env_dir / "bin" / "summit"), "run", "jerusalem-2019", "--seed", "1"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert played.returncode == 0, played.stderr
    here = subprocess.run(
        [sys.executable, "-m", "summit", "run", "jerusalem-2019", "--seed", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert played.stdout == here.stdout  # the same summit as from the checkout
    assert list(elsewhere.iterdir()) == []
