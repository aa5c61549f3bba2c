"""Per-profile link settings: the AccessPoint address and which local (or UNC) folders are which
folders of the QlikView Server.

Kept in ``link-settings.json`` in the config folder, one entry per profile (or per tenant address
for ``--tenant`` runs), written atomically. Nothing here is secret.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

from qvupload.cloud.links import LinkError, normalize_accesspoint
from qvupload.i18n import _
from qvupload.paths import write_atomically

FILE_NAME = "link-settings.json"


@dataclass
class FolderMap:
    local: str  # a local or UNC folder, e.g. /mnt/qlikview/Finance or \\qvs01\Documents\Finance
    server: str  # the same folder as the QlikView Server names it, e.g. Finance ("" = its root)


@dataclass
class LinkSettings:
    accesspoint: str = ""
    folders: list[FolderMap] = field(default_factory=list)

    def checked(self) -> LinkSettings:
        if not self.accesspoint:
            raise LinkError(
                _(
                    "No AccessPoint address is set: give the address people open QlikView documents "
                    "at, e.g. https://qlikview.example.com (--accesspoint on the command line)."
                )
            )
        return LinkSettings(normalize_accesspoint(self.accesspoint), self.folders)

    def server_path(self, document: Path | str) -> str:
        """The document's path on the QlikView Server, from the longest matching folder mapping."""
        doc = _norm(str(document))
        best: FolderMap | None = None
        for mapping in self.folders:
            local = _norm(mapping.local).rstrip("/")
            if (doc.lower().startswith(local.lower() + "/")) and (best is None or len(local) > len(_norm(best.local))):
                best = mapping
        if best is None:
            raise LinkError(
                _(
                    "No folder mapping covers %(document)s: say which server folder its folder is "
                    "(local folder = server folder; --map LOCAL=SERVER on the command line)."
                )
                % {"document": document}
            )
        rest = doc[len(_norm(best.local).rstrip("/")) + 1 :]
        server = _norm(best.server).strip("/")
        return str(PurePosixPath(server, rest)) if server else rest


def parse_map(text: str) -> FolderMap:
    """``LOCAL=SERVER`` (the server part may be empty: the server's document root)."""
    local, sep, server = text.partition("=")
    if not sep or not local.strip():
        raise LinkError(_("A folder mapping is LOCAL_FOLDER=SERVER_FOLDER, not %(text)r.") % {"text": text})
    return FolderMap(local.strip(), server.strip())


def _norm(path: str) -> str:
    """Forward slashes, no doubled or trailing ones; a UNC path keeps its leading pair."""
    text = path.replace("\\", "/")
    lead = "//" if text.startswith("//") else ("/" if text.startswith("/") else "")
    return lead + "/".join(part for part in text.split("/") if part)


class LinkSettingsStore:
    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME

    def _read(self) -> dict[str, LinkSettings]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise LinkError(
                _("The link settings %(path)s cannot be read: %(exc)s. Fix or remove the file.")
                % {"path": self.path, "exc": exc}
            ) from exc
        return {
            key: LinkSettings(
                str(raw.get("accesspoint", "")),
                [FolderMap(str(m.get("local", "")), str(m.get("server", ""))) for m in raw.get("folders", [])],
            )
            for key, raw in (data.get("profiles") or {}).items()
        }

    def get(self, key: str) -> LinkSettings:
        return self._read().get(key, LinkSettings())

    def save(self, key: str, settings: LinkSettings) -> None:
        everything = self._read()
        everything[key] = settings
        write_atomically(self.path, json.dumps({"profiles": {k: asdict(v) for k, v in everything.items()}}, indent=2))
