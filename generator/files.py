"""Writing a file whole or not at all: the one way the generator replaces a file that someone may be reading or
that later runs depend on (a snapshot, the manifest, versions.json, an index page)."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from datetime import date
from pathlib import Path


def _keep_mode(fd: int, path: Path) -> None:
    """A replaced file keeps its permissions, and a new one gets an ordinary file's (0666 less the umask): mkstemp's
    own 0600 would hide a migrated plan.yaml, a written report or a site file from everyone else who reads the
    folder."""
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    os.fchmod(fd, mode)


def atomic_write(path: Path, data: str | bytes) -> None:
    """A temporary file in the same folder, flushed to disk, renamed over `path`, then the folder flushed too.
    A full disk or a kill leaves the old file, never a truncated one; an OSError names `path`, not the temporary."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    try:
        with os.fdopen(fd, "wb") as f:
            _keep_mode(fd, path)
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        folder = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(folder)  # the rename itself survives a power cut
    except OSError:
        pass
    finally:
        os.close(folder)


def dated_zip(raw: bytes, day: date) -> bytes:
    """A .docx or .xlsx (a zip) with every member dated `day` (the reporting point's date): python-docx and openpyxl
    date members with the time of writing, and the same point must give the same bytes (two builds of an unchanged
    version are byte-identical; the cache relies on it). Members, their order and their contents are kept."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(max(day.year, 1980), day.month, day.day, 0, 0, 0))
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
