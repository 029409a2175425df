"""Only what pyproject.toml cannot say: the wheel ships the scenarios.

scenarios/ stays at the top of the repository (its home: edited, reviewed and listed there);
building copies it, history cases included, into the package as summit/_scenarios, where
``summit.catalog`` finds it when summit is installed and run from any other folder.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithScenarios(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "summit" / "_scenarios"
        shutil.copytree(
            HERE / "scenarios",
            target,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("*.parquet", "__pycache__"),
        )


setup(cmdclass={"build_py": BuildWithScenarios})
