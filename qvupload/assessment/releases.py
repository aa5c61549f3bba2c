"""QlikView Server releases from the ``Exe Version`` of its session log, and whether a server is
"QlikView April 2019 or newer" (the guidance's prerequisite for Publisher distribution to Qlik
Cloud).

``Exe Version`` is the full version number, e.g. ``11.00.11076.0409.10`` (QlikView Server help,
"Logs and error codes") or ``12.40.20000.0``; the first two numbers name the release. Named
releases use the major.minor number; April 2019 is 12.40. See docs/reference-notes/session-logs.md
for the table's sources and how sure each row is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qvupload.i18n import _

# major.minor -> release name
RELEASES: dict[tuple[int, int], str] = {
    (11, 0): "QlikView 11",
    (11, 20): "QlikView 11.20",
    (12, 0): "QlikView 12",
    (12, 10): "QlikView 12.10",
    (12, 20): "QlikView 12.20 (November 2017)",
    (12, 30): "QlikView November 2018 (12.30)",
    (12, 40): "QlikView April 2019 (12.40)",
    (12, 50): "QlikView April 2020 (12.50)",
    (12, 60): "QlikView May 2021 (12.60)",
    (12, 70): "QlikView May 2022 (12.70)",
    (12, 80): "QlikView May 2023 (12.80)",
    (12, 90): "QlikView May 2024 (12.90)",
    (12, 100): "QlikView May 2025 (12.100)",
}
APRIL_2019 = (12, 40)
_VERSION = re.compile(r"^\s*(\d+)\.(\d+)(?:\.(\d+))?")


@dataclass(frozen=True)
class Release:
    exe_version: str
    major: int
    minor: int
    build: int | None
    name: str
    april_2019_or_newer: bool

    @property
    def sentence(self) -> str:
        v = {"name": self.name, "version": self.exe_version}
        if self.april_2019_or_newer:
            return (
                _(
                    "The QlikView Server runs %(name)s (Exe Version %(version)s), which meets the prerequisite "
                    '"QlikView April 2019 or newer" for distributing to Qlik Cloud from QlikView Publisher.'
                )
                % v
            )
        return (
            _(
                "The QlikView Server runs %(name)s (Exe Version %(version)s), which does not meet the prerequisite "
                '"QlikView April 2019 or newer" for distributing to Qlik Cloud from QlikView Publisher.'
            )
            % v
        )


def release_of(exe_version: str) -> Release | None:
    m = _VERSION.match(exe_version)
    if m is None:
        return None
    major, minor = int(m.group(1)), int(m.group(2))
    build = int(m.group(3)) if m.group(3) else None
    name = RELEASES.get((major, minor), f"QlikView {major}.{minor:02d}")
    return Release(exe_version.strip(), major, minor, build, name, (major, minor) >= APRIL_2019)


def version_key(exe_version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", exe_version)[:5])
