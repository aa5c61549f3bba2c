"""Where qvupload keeps its files. Every folder can be redirected by an environment variable,
so tests and trials never touch a real profile."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "qvupload"


def _folder(env: str, default: str) -> Path:
    chosen = os.environ.get(env)
    path = Path(chosen) if chosen else Path(default)
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    """Queue and ledger (SQLite). ``QVUPLOAD_DATA_DIR`` overrides."""
    return _folder("QVUPLOAD_DATA_DIR", platformdirs.user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    """Settings and profiles. ``QVUPLOAD_CONFIG_DIR`` overrides."""
    return _folder("QVUPLOAD_CONFIG_DIR", platformdirs.user_config_dir(APP, appauthor=False))


def cache_dir() -> Path:
    return _folder("QVUPLOAD_CACHE_DIR", platformdirs.user_cache_dir(APP, appauthor=False))


def log_dir() -> Path:
    return _folder("QVUPLOAD_LOG_DIR", platformdirs.user_log_dir(APP, appauthor=False))


def write_atomically(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never half of it."""
    import tempfile  # only when saving: the window starts without it

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
