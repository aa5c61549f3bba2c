"""The QlikView release a saving build number belongs to, in words people know.

The ranges are those observed in ../shared/reference/qvw-format.md §2.2 (344 classic files): builds
8935-9274 were QlikView 10, 11282-11440 QlikView 11.00 (the same files carry "11.00.11282.0409"
strings), 11643-13405 the QlikView 11.20 service releases, 50500-50679 QlikView 12.x. The mapping
is inferred from those files, not documented by Qlik, so the label says so; builds outside the
observed ranges are shown as a bare build number.
"""

from __future__ import annotations

from qvupload.i18n import _

RANGES = (
    (8900, 9999, "QlikView 10"),
    (11000, 11499, "QlikView 11.00"),
    (11500, 13999, "QlikView 11.20"),
    (50000, 50999, "QlikView 12.x"),
)


def release_of(build: int | None) -> str | None:
    if build is None:
        return None
    return next((name for low, high, name in RANGES if low <= build <= high), None)


def build_label(build: int | None, *, long: bool = False) -> str:
    """``QlikView 12.x (build 50611)``; with ``long``, that the release is inferred from the build."""
    if build is None:
        return ""
    release = release_of(build)
    if release is None:
        return _("build %(build)s (release not known)") % {"build": build}
    if long:
        return _("%(release)s (build %(build)s, release inferred from the build number)") % {
            "release": release,
            "build": build,
        }
    return _("%(release)s (build %(build)s)") % {"release": release, "build": build}
