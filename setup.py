"""The build step pyproject.toml cannot express: compile the translation catalogues (.po -> .mo) into the
wheel with Babel (in [build-system] requires). The sources stay .po (in the checkout and the sdist; the wheel
has only the .mo); no .mo is committed."""

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
            # the wheel ships the compiled catalogue only: an installer gives every file a fresh time, so
            # a .po next to it could look newer and be read instead (the sdist keeps the .po sources)
            path.with_suffix(".po").unlink(missing_ok=True)


setup(cmdclass={"build_py": BuildPyWithCatalogs})
