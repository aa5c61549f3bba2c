"""A read-only FUSE pass-through that behaves like a network share: every call waits, no inode numbers.

Run as ``python -m tests.fusefs.slowfs BACKING MOUNTPOINT --delay-ms 2 --inodes constant``. It serves
the files under BACKING at MOUNTPOINT (libfuse 3 through ``mfusepy``, many threads) and:

* waits ``--delay-ms`` in every call it serves, as a round trip over a LAN or VPN would;
* reports no inode numbers: ``--inodes unknown`` leaves them to libfuse (``use_ino`` off: directory
  entries carry the "unknown" number, stat a number of libfuse's own, as sshfs does by default);
  ``--inodes constant`` reports the same number for every entry and every stat (``use_ino`` on), as
  file systems without a file index do;
* counts the calls it serves, by kind, and how many of them were about folders. The counts are read
  from the hidden file ``/.slowfs-calls``
  (JSON, padded to a fixed size); calls about that file are neither delayed nor counted.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import stat
import sys
import threading
import time
from collections import Counter
from typing import Any

import mfusepy as fuse

CONTROL = "/.slowfs-calls"
CONTROL_SIZE = 64 * 1024
CONSTANT_INO = 1


class SlowFS(fuse.Operations):  # type: ignore[misc]
    use_ns = True

    def __init__(self, backing: str, delay_ms: float, inodes: str) -> None:
        self.backing = os.path.realpath(backing)
        self.delay = delay_ms / 1000.0
        self.constant = inodes == "constant"
        self.calls: Counter[str] = Counter()
        self.folder_calls = 0  # of those, calls about folders (listings, look-ups of folders)
        self.in_flight = 0
        self.most_in_flight = 0
        self._mutex = threading.Lock()

    # -- bookkeeping -----------------------------------------------------------------------
    def _serve(self, kind: str, path: str | None) -> bool:
        """Count and delay one call; False for the control file (neither counted nor delayed)."""
        if path == CONTROL:
            return False
        folder = kind in ("opendir", "readdir", "releasedir") or (
            kind == "getattr" and os.path.isdir(self._real(path or "/"))
        )
        with self._mutex:
            self.calls[kind] += 1
            self.folder_calls += folder
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.delay:
                time.sleep(self.delay)
        finally:
            with self._mutex:
                self.in_flight -= 1
        return True

    def _control(self) -> bytes:
        with self._mutex:
            counts = {
                "calls": dict(self.calls),
                "folder_calls": self.folder_calls,
                "most_in_flight": self.most_in_flight,
            }
            text = json.dumps(counts)
        return text.encode().ljust(CONTROL_SIZE)

    def _real(self, path: str) -> str:
        return os.path.join(self.backing, path.lstrip("/"))

    def _attrs(self, st: os.stat_result) -> dict[str, Any]:
        attrs = {
            key: getattr(st, key)
            for key in ("st_mode", "st_nlink", "st_size", "st_uid", "st_gid", "st_atime_ns", "st_mtime_ns")
        }
        attrs["st_ctime_ns"] = st.st_ctime_ns
        attrs["st_atime"], attrs["st_mtime"], attrs["st_ctime"] = st.st_atime_ns, st.st_mtime_ns, st.st_ctime_ns
        if self.constant:
            attrs["st_ino"] = CONSTANT_INO
        return attrs

    # -- operations ------------------------------------------------------------------------
    def getattr(self, path: str, fh: int | None = None) -> dict[str, Any]:
        if not self._serve("getattr", path):
            return {"st_mode": stat.S_IFREG | 0o444, "st_nlink": 1, "st_size": CONTROL_SIZE}
        try:
            return self._attrs(os.lstat(self._real(path)))
        except OSError as exc:
            raise fuse.FuseOSError(exc.errno or errno.EIO) from None

    def readlink(self, path: str) -> str:
        self._serve("readlink", path)
        return os.readlink(self._real(path))

    def opendir(self, path: str) -> int:
        self._serve("opendir", path)
        return 0

    def readdir(self, path: str, fh: int) -> list[Any]:
        self._serve("readdir", path)
        try:
            names = os.listdir(self._real(path))
        except OSError as exc:
            raise fuse.FuseOSError(exc.errno or errno.EIO) from None
        entries: list[Any] = [".", ".."]
        for name in names:
            try:
                mode = os.lstat(os.path.join(self._real(path), name)).st_mode
            except OSError:
                continue
            # only the type and (with use_ino) the inode number reach the kernel
            entries.append((name, {"st_mode": mode, "st_ino": CONSTANT_INO} if self.constant else mode, 0))
        return entries

    def releasedir(self, path: str, fh: int) -> int:
        self._serve("releasedir", path)
        return 0

    def open(self, path: str, flags: int) -> int:
        if not self._serve("open", path):
            return 0
        if flags & (os.O_WRONLY | os.O_RDWR):
            raise fuse.FuseOSError(errno.EROFS)
        try:
            return os.open(self._real(path), os.O_RDONLY)
        except OSError as exc:
            raise fuse.FuseOSError(exc.errno or errno.EIO) from None

    def read(self, path: str, size: int, offset: int, fh: int) -> bytes:
        if not self._serve("read", path):
            return self._control()[offset : offset + size]
        return os.pread(fh, size, offset)

    def flush(self, path: str, fh: int) -> int:
        self._serve("flush", path)
        return 0

    def release(self, path: str, fh: int) -> int:
        if self._serve("release", path):
            os.close(fh)
        return 0

    def statfs(self, path: str) -> dict[str, int]:
        self._serve("statfs", path)
        st = os.statvfs(self.backing)
        return {key: getattr(st, key) for key in ("f_bsize", "f_frsize", "f_blocks", "f_bfree", "f_bavail")}

    def access(self, path: str, amode: int) -> int:
        self._serve("access", path)
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("backing")
    parser.add_argument("mountpoint")
    parser.add_argument("--delay-ms", type=float, default=2.0)
    parser.add_argument("--inodes", choices=("constant", "unknown"), default="constant")
    parser.add_argument("--threads", type=int, default=64, help="most calls served at once")
    args = parser.parse_args(argv)
    fs = SlowFS(args.backing, args.delay_ms, args.inodes)
    fuse.FUSE(
        fs,
        args.mountpoint,
        foreground=True,
        ro=True,
        fsname="slowfs",
        use_ino=args.inodes == "constant",
        max_threads=args.threads,
        max_idle_threads=args.threads,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
