"""Table models for the documents and the transfers (model/view; targeted dataChanged updates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from qvupload.i18n import N_, _
from qvupload.timefmt import format_age, format_left
from qvupload.transfers.model import Job, JobState
from qvupload.ui.localfmt import date_time, number

if TYPE_CHECKING:
    from qvupload.documents import ScanResult

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 3
VERDICTS = {"fresh": N_("fresh"), "stale": N_("stale"), "unknown": N_("unknown"), "error": N_("not readable")}
BADGE_COLOURS = {
    "fresh": "#2e7d32",
    "stale": "#c62828",
    "unknown": "#8d6e00",
    "error": "#6d6d6d",
    "skipped": "#6d6d6d",
}


def human_size(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{number(value, 0 if unit == 'B' else 1)} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


@dataclass
class DocumentRow:
    result: ScanResult
    cloud: str = ""  # e.g. "uploaded", "published to Sales Reports"
    # each column's sort value, made once: sorting asks for it at every comparison (about 8 per row
    # inserted, so 16,000 asks while 2,000 documents come in)
    sort_keys: dict[int, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def verdict(self) -> str:
        if self.result.skipped:
            return "skipped"  # a second link to a listed document, a folder loop: the reason says which
        if self.result.error is not None:
            return "error"
        return self.result.freshness.verdict if self.result.freshness else "unknown"

    @property
    def reason(self) -> str:
        if self.result.error is not None:
            return self.result.error
        return self.result.freshness.reason if self.result.freshness else ""


class _Table(QAbstractTableModel):
    """What both tables share: a list of rows and named columns."""

    COLUMNS: tuple[str, ...] = ()

    @property
    def rows(self) -> list[Any]:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.COLUMNS[section])
        return None


class DocumentsModel(_Table):
    COLUMNS = (
        N_("Name"),
        N_("Folder"),
        N_("Size"),
        N_("Last reload (local)"),
        N_("Age"),
        N_("Freshness"),
        N_("Section access"),
        N_("Saved with"),
        N_("Cloud"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[DocumentRow] = []
        self._by_path: dict[Path, int] = {}

    @property
    def rows(self) -> list[DocumentRow]:
        return self._rows

    def add_results(self, results: list[ScanResult]) -> None:
        """Add new documents (and replace ones already listed) without resetting the view."""
        fresh = []
        for result in results:
            at = self._by_path.get(result.path)
            if at is not None:
                self.rows[at] = DocumentRow(result, self.rows[at].cloud)
                self.dataChanged.emit(self.index(at, 0), self.index(at, len(self.COLUMNS) - 1))
            else:
                fresh.append(result)
        if fresh:
            start = len(self.rows)
            self.beginInsertRows(QModelIndex(), start, start + len(fresh) - 1)
            for offset, result in enumerate(fresh):
                self._by_path[result.path] = start + offset
                self.rows.append(DocumentRow(result))
            self.endInsertRows()

    def set_cloud_status(self, path: Path, status: str) -> None:
        at = self._by_path.get(path)
        if at is not None:
            self.rows[at].cloud = status
            self.rows[at].sort_keys.pop(len(self.COLUMNS) - 1, None)
            cell = self.index(at, len(self.COLUMNS) - 1)
            self.dataChanged.emit(cell, cell)

    def remove_paths(self, paths: set[Path]) -> None:
        doomed = sorted((self._by_path[p] for p in paths if p in self._by_path), reverse=True)
        runs: list[list[int]] = []  # contiguous [first, last], bottom up, so earlier rows keep their places
        for at in doomed:
            if runs and runs[-1][0] == at + 1:
                runs[-1][0] = at
            else:
                runs.append([at, at])
        for first, last in runs:
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first : last + 1]
            self.endRemoveRows()
        self._by_path = {row.result.path: at for at, row in enumerate(self._rows)}

    def clear(self) -> None:
        self.beginResetModel()
        self.rows.clear()
        self._by_path.clear()
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == SORT_ROLE:
            return self.sort_key(index.row(), column)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 7 and row.result.facts and row.result.facts.saving_build:
                from qvupload.documents.builds import build_label  # not at start-up: it loads the reader

                return _("Last saved with %(saving_build)s") % {
                    "saving_build": build_label(row.result.facts.saving_build, long=True)
                }
            return row.reason if column in (0, 5) else str(row.result.path) if column == 1 else None
        if role == Qt.ItemDataRole.ForegroundRole and column == 5:
            return QBrush(QColor(BADGE_COLOURS[row.verdict]))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        return None

    def sort_key(self, at: int, column: int) -> Any:
        """What the table sorts ``column`` by (kept until the row changes)."""
        keys = self._rows[at].sort_keys
        key = keys.get(column)
        if key is None:
            key = keys[column] = self._sort_value(self._rows[at], column)
        return key

    def _text(self, row: DocumentRow, column: int) -> str:
        facts, fresh = row.result.facts, row.result.freshness
        path = row.result.path
        if column == 0:
            return path.name
        if column == 1:
            return str(path.parent)
        if column == 5:
            return _(VERDICTS.get(row.verdict, row.verdict))
        if facts is None:
            return ""
        if column == 2:
            return human_size(facts.size)
        if column == 3:
            if facts.last_reload_utc is not None:
                return date_time(facts.last_reload_utc.astimezone())
            if facts.last_reload_local is not None:
                return f"~{facts.last_reload_local:%Y-%m-%d %H:%M}"
            return _("never recorded")
        if column == 4:
            return format_age(fresh.age) if fresh and fresh.age is not None else ""
        if column == 6:
            return _("yes") if facts.has_section_access else _("no")
        if column == 7:  # the release in the table; the build number is in the tooltip and the details
            from qvupload.documents.builds import release_of

            return release_of(facts.saving_build) or (f"build {facts.saving_build}" if facts.saving_build else "")
        return row.cloud

    def _sort_value(self, row: DocumentRow, column: int) -> Any:
        facts, fresh = row.result.facts, row.result.freshness
        if column == 2:
            return facts.size if facts else -1
        if column in (3, 4):
            return (fresh.age if fresh and fresh.age is not None else timedelta.max).total_seconds() * (
                -1 if column == 3 else 1
            )
        return self._text(row, column).lower()


class DocumentsFilter(QSortFilterProxyModel):
    """Sorting by real values, and the "only stale" filter (stale, unknown and unreadable)."""

    def __init__(self) -> None:
        super().__init__()
        self.only_stale = False
        self.setSortRole(SORT_ROLE)

    def set_only_stale(self, value: bool) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later: announce the change, then apply it
            self.beginFilterChange()
            self.only_stale = value
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # older Qt (6.6-6.9)
            self.only_stale = value
            self.invalidateRowsFilter()

    def lessThan(self, left: Index, right: Index) -> bool:
        # one call for each comparison the proxy makes while it sorts or places new rows, instead of
        # two calls of data() (with thousands of documents listed, placing 200 new ones is ~2,000)
        model = self.sourceModel()
        if not isinstance(model, DocumentsModel):
            return super().lessThan(left, right)
        column = left.column()
        return bool(model.sort_key(left.row(), column) < model.sort_key(right.row(), column))

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self.only_stale:
            return True
        model = self.sourceModel()
        row: DocumentRow = model.data(model.index(source_row, 0, source_parent), ROW_ROLE)
        return row.verdict != "fresh"


class TransfersModel(_Table):
    COLUMNS = (
        N_("Document"),
        N_("Target"),
        N_("State"),
        N_("Progress"),
        N_("Speed"),
        N_("Time left"),
        N_("Size"),
        N_("Message"),
    )
    LIVE = (3, 5)  # the columns a progress event changes

    def __init__(self) -> None:
        super().__init__()
        self.jobs: list[Job] = []
        self._row_of: dict[str, int] = {}
        self._rate: dict[str, tuple[float, float | None]] = {}  # job id -> (bytes/s, seconds left)

    @property
    def rows(self) -> list[Job]:
        return self.jobs

    def update_job(self, job: Job, progress_only: bool = False, speed: float = 0.0, eta: float | None = None) -> None:
        """Insert a new job, or refresh only the cells of a known one."""
        self._rate[job.id] = (speed, eta)
        at = self._row_of.get(job.id)
        if at is None:
            at = len(self.jobs)
            self.beginInsertRows(QModelIndex(), at, at)
            self.jobs.append(job)
            self._row_of[job.id] = at
            self.endInsertRows()
            return
        self.jobs[at] = job
        first, last = self.LIVE if progress_only else (0, len(self.COLUMNS) - 1)
        self.dataChanged.emit(self.index(at, first), self.index(at, last))

    def job_at(self, row: int) -> Job:
        return self.jobs[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        job = self.jobs[index.row()]
        column = index.column()
        if role == PROGRESS_ROLE:
            if job.job_state is JobState.DONE:
                return 100
            return int(100 * job.bytes_done / job.size) if job.size else 0
        if role == Qt.ItemDataRole.ToolTipRole:
            return job.message or None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        if column == 0:
            return Path(job.path).name
        if column == 1:
            return job.target
        if column == 2:
            return job.state + (f" ({job.outcome})" if job.outcome and job.job_state.terminal else "")
        if column == 3:
            return f"{self.data(index, PROGRESS_ROLE)}%"
        speed, left = self._rate.get(job.id, (0.0, None))
        if column == 4:
            return f"{number(speed / 1e6, 1)} MB/s" if speed else ""
        if column == 5:
            return format_left(left) if left else ""  # 0: every byte is sent, the tenant is taking it in
        if column == 6:
            return human_size(job.size)
        return job.message
