"""Finding documents under files and folders: one listing per folder, identity without inode numbers.

Folders are listed once each with ``os.scandir`` (names and types in one go); the listing is kept
with every document found in it, so its logs and QVDs are found without listing it again.

A file's identity is its real path (the folder's real path plus the name; a link is resolved).
Inode numbers are used only where the system can vouch for them: file servers, FUSE mounts and
some Windows volumes report none, the same one for every entry, or an "unknown" number. So:

* two names are one file (a hard link) only when they share an inode number that is not an
  "unknown" value and the file says it has more than one link;
* a folder is a loop when its real path was seen on the way down, or when it has an ancestor's
  device and inode number *and* the same listing; an ancestor's number with a different listing
  shows the device's numbers cannot be trusted. Plain subfolders take their number from the
  listing (no call), which a bind mount of an ancestor hides: a depth limit ends such a loop.

Nothing is dropped silently: every path the walk does not pass on is a problem with a sentence
(``skipped`` when it is deliberate, such as a second link to the same document).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from qvupload.documents.doclog import logs_by_document
from qvupload.i18n import _
from qvupload.pathnames import os_path

DOCUMENT_SUFFIXES = (".qvw", ".qvf")
# Inode numbers that mean "none": Windows without a file index, FUSE's FUSE_UNKNOWN_INO, -1.
UNKNOWN_INODES = frozenset({0, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF})
MAX_DEPTH = 100  # folders below a root: deeper is a loop the system hides (a mount of an ancestor)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A document to read, the names of its logs and of everything in its folder (None: not listed)."""

    path: Path
    logs: tuple[str, ...] | None = None
    listing: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Problem:
    """A path the walk did not pass on, and why (a sentence)."""

    path: Path
    reason: str
    skipped: bool = False  # True: left out on purpose (a duplicate, a loop), not a failure


@dataclass
class WalkResult:
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    folders: int = 0  # folders listed


def is_document_name(name: str) -> bool:
    return name.lower().endswith(DOCUMENT_SUFFIXES)


@dataclass(frozen=True)
class _Listing:
    names: tuple[str, ...]
    logs: dict[str, list[str]]  # lower-cased document name -> its logs

    @classmethod
    def of(cls, names: list[str]) -> _Listing:
        return cls(tuple(names), logs_by_document(names))


@dataclass(frozen=True)
class _Parent:
    folder: _Folder
    entries: dict[str, os.DirEntry[str]]
    listing: _Listing


_Ancestor = tuple[tuple[int, int], str, frozenset[str]]  # (device and number, real path, listing)


@dataclass(frozen=True)
class _Folder:
    path: Path
    real: str
    key: tuple[int, int]
    ancestors: tuple[_Ancestor, ...]


class _Walker:
    def __init__(self, cancel: Callable[[], bool], on_found: Callable[[int], None], result: WalkResult) -> None:
        self.result = result
        self.cancelled = cancel
        self.on_found = on_found
        self.files: dict[str, Path] = {}  # real path -> the path it was found under
        self.links: dict[tuple[int, int], Path] = {}  # (dev, ino) of trusted inode numbers
        self.folders: dict[str, Path] = {}  # real path of every folder listed
        self.untrusted: set[int] = set()  # devices whose inode numbers say nothing
        self.parents: dict[str, _Parent | None] = {}  # folders of named files, listed once

    # -- helpers -------------------------------------------------------------------------
    def trusted(self, dev: int, ino: int) -> bool:
        return ino not in UNKNOWN_INODES and dev not in self.untrusted

    def problem(self, path: Path, reason: str, *, skipped: bool = False) -> None:
        self.result.problems.append(Problem(path, reason, skipped))

    def add(self, path: Path, real: str, listing: _Listing | None) -> bool:
        first = self.files.get(real)
        if first is not None:
            self.problem(
                path,
                _("Skipped: %(name)s is the same file as %(first)s (a link).") % {"name": path.name, "first": first},
                skipped=True,
            )
            return False
        self.files[real] = path
        if listing is None:
            self.result.candidates.append(Candidate(path))
        else:
            logs = listing.logs.get(path.name.lower(), ())
            self.result.candidates.append(Candidate(path, tuple(logs), listing.names))
        return True

    def hard_link_of(self, path: Path, dev: int, ino: int, nlink: Callable[[], int]) -> Path | None:
        """The document this one is a hard link of, when the system can say so."""
        if not self.trusted(dev, ino):
            return None
        first = self.links.get((dev, ino))
        if first is None:
            self.links[(dev, ino)] = path
            return None
        if nlink() > 1:
            return first
        self.untrusted.add(dev)  # two files, one number: this device's numbers mean nothing
        return None

    # -- roots ---------------------------------------------------------------------------
    def root(self, root: Path) -> None:
        parent = self.parent_of(root)
        entry = parent.entries.get(root.name) if parent is not None else None
        if parent is not None and entry is not None and not entry.is_dir():
            # a named file: its type and number come with its folder's listing, made once for
            # all files named in that folder (no call per file on a share)
            try:
                self.document(entry, root, parent.folder, parent.listing)
            except OSError as exc:
                self.problem(
                    root, _("%(name)s cannot be read (%(strerror)s).") % {"name": root.name, "strerror": exc.strerror}
                )
            self.on_found(len(self.result.candidates))
            return
        try:
            st = os.stat(os_path(root))
        except FileNotFoundError:
            self.problem(root, _("%(path)s does not exist.") % {"path": root})
            return
        except OSError as exc:
            self.problem(root, _("%(name)s cannot be read (%(strerror)s).") % {"name": root, "strerror": exc.strerror})
            return
        if stat.S_ISDIR(st.st_mode):
            self.folder(_Folder(root, os.path.realpath(root), (st.st_dev, st.st_ino), ()))
            return
        self.add(root, os.path.realpath(root), None)  # a file its folder's listing did not show
        self.on_found(len(self.result.candidates))

    def parent_of(self, root: Path) -> _Parent | None:
        """The listing of a named path's folder (made once per folder), or None."""
        if root.name in ("", ".", ".."):
            return None
        key = str(root.parent)
        if key not in self.parents:
            try:
                st = os.stat(os_path(root.parent))
                with os.scandir(os_path(root.parent)) as it:
                    entries = {e.name: e for e in it}
            except OSError:
                self.parents[key] = None
            else:
                real = os.path.realpath(root.parent)
                folder = _Folder(root.parent, real, (st.st_dev, st.st_ino), ())
                self.parents[key] = _Parent(folder, entries, _Listing.of(sorted(entries)))
        return self.parents[key]

    # -- folders -------------------------------------------------------------------------
    def folder(self, start: _Folder) -> None:
        stack = [start]
        while stack and not self.cancelled():
            here = stack.pop()
            seen = self.folders.get(here.real)
            if seen is not None:
                self.problem(
                    here.path,
                    _("Skipped: the folder %(path)s was already scanned as %(seen)s.")
                    % {"path": here.path, "seen": seen},
                    skipped=True,
                )
                continue
            if any(real == here.real for _, real, _ in here.ancestors):
                self.problem(
                    here.path,
                    _("Skipped: the folder %(path)s leads back into itself.") % {"path": here.path},
                    skipped=True,
                )
                continue
            if len(here.ancestors) >= MAX_DEPTH:
                self.problem(
                    here.path,
                    _("Skipped: the folder %(path)s is more than %(depth)s folders deep.")
                    % {"path": here.path, "depth": MAX_DEPTH},
                )
                continue
            try:
                with os.scandir(os_path(here.path)) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                self.problem(
                    here.path,
                    _("The folder %(path)s cannot be read (%(strerror)s).")
                    % {"path": here.path, "strerror": exc.strerror},
                )
                continue
            names = frozenset(e.name for e in entries)
            loop = self.bind_loop(here, names)
            if loop is not None:
                self.problem(
                    here.path,
                    _("Skipped: the folder %(path)s leads back into %(loop)s.") % {"path": here.path, "loop": loop},
                    skipped=True,
                )
                continue
            self.folders[here.real] = here.path
            self.result.folders += 1
            stack.extend(reversed(self.entries(here, entries, names)))
            self.on_found(len(self.result.candidates))

    def bind_loop(self, here: _Folder, names: frozenset[str]) -> str | None:
        """An ancestor this folder is (same number and listing), or None; distrusts the device
        when an ancestor has the number but not the listing."""
        dev, ino = here.key
        if not self.trusted(dev, ino):
            return None
        for key, real, listing in here.ancestors:
            if key == here.key:
                if listing == names:
                    return real
                self.untrusted.add(dev)
                return None
        return None

    def entries(self, here: _Folder, entries: list[os.DirEntry[str]], names: frozenset[str]) -> list[_Folder]:
        siblings = _Listing.of([e.name for e in entries])
        ancestors = (*here.ancestors, (here.key, here.real, names))
        subfolders: list[_Folder] = []
        for entry in entries:
            try:
                if entry.is_dir():
                    subfolders.append(self.subfolder(entry, _child(here.path, entry), here, ancestors))
                elif is_document_name(entry.name):
                    self.document(entry, _child(here.path, entry), here, siblings)
            except OSError as exc:
                self.problem(
                    Path(entry.path),
                    _("%(name)s cannot be read (%(strerror)s).") % {"name": entry.name, "strerror": exc.strerror},
                )
        return subfolders

    def subfolder(
        self, entry: os.DirEntry[str], path: Path, here: _Folder, ancestors: tuple[_Ancestor, ...]
    ) -> _Folder:
        if entry.is_symlink():
            st = entry.stat()  # follows the link: the folder's own device and number
            return _Folder(path, os.path.realpath(path), (st.st_dev, st.st_ino), ancestors)
        # a plain subfolder: its number comes with the listing (no call); the parent's device
        return _Folder(path, os.path.join(here.real, entry.name), (here.key[0], entry.inode()), ancestors)

    def document(self, entry: os.DirEntry[str], path: Path, here: _Folder, siblings: _Listing) -> None:
        if entry.is_symlink():
            if not entry.is_file():
                self.problem(
                    path,
                    _("Skipped: %(name)s is a link to something that does not exist.") % {"name": entry.name},
                    skipped=True,
                )
                return
            self.add(path, os.path.realpath(path), siblings)
            return
        if not entry.is_file():
            self.problem(path, _("Skipped: %(name)s is not a regular file.") % {"name": entry.name}, skipped=True)
            return
        real = os.path.join(here.real, entry.name)
        # the entry's inode number is free on POSIX (from the listing); on Windows it costs a call
        if real not in self.files and os.name != "nt":
            twin = self.hard_link_of(path, here.key[0], entry.inode(), _nlink(entry))
            if twin is not None:
                self.problem(
                    path,
                    _("Skipped: %(name)s is the same file as %(twin)s (a hard link).")
                    % {"name": entry.name, "twin": twin},
                    skipped=True,
                )
                return
        self.add(path, real, siblings)


# Path(entry.path) parses the whole path again: half the walk's time on a local disk. On POSIX the
# entry's path is its folder's path and its name, so pathlib's own child constructor (what
# Path.iterdir uses; private, hence looked up with a fallback) gives the equal Path without parsing.
# On Windows entry.path can carry the extended-length prefix of os_path: parsed as before.
_MAKE_CHILD = getattr(Path, "_make_child_relpath", None) if os.name != "nt" else None


def _child(folder: Path, entry: os.DirEntry[str]) -> Path:
    if _MAKE_CHILD is not None:
        child: Path = _MAKE_CHILD(folder, entry.name)
        return child
    return Path(entry.path)


def _nlink(entry: os.DirEntry[str]) -> Callable[[], int]:
    return lambda: entry.stat(follow_symlinks=False).st_nlink


def walk(
    roots: Iterable[Path],
    cancel: Callable[[], bool] = lambda: False,
    on_found: Callable[[int], None] = lambda count: None,
    result: WalkResult | None = None,
) -> WalkResult:
    """Every document under ``roots`` in a stable order (roots as given, folders by name, a folder's
    documents before its subfolders'), and every path passed over with its reason. ``result``: the
    object to fill (its candidates can be read as they are found, from ``on_found``)."""
    walker = _Walker(cancel, on_found, result if result is not None else WalkResult())
    for root in roots:
        if cancel():
            break
        walker.root(root)
    return walker.result
