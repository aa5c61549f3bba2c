"""The build step pyproject.toml cannot express: compile the translation catalogues (.po -> .mo) into the
wheel with Babel (in [build-system] requires). The sources stay .po; no .mo is committed."""

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

sys.path.insert(0, str(Path(__file__).resolve().parent / "packaging"))


class BuildPyWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        from catalogs import compile_all

        target = Path(self.build_lib) / "qvupload" / "locale"
        for path in compile_all(target):
            self.announce(f"compiled {path}", level=2)


setup(cmdclass={"build_py": BuildPyWithCatalogs})
