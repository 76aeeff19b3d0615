"""The output of an export run: the folder written atomically, or a zip streamed.

- :func:`write_folder`: every letter, manifest.json and letters.zip are written under a
  temporary folder next to ``out`` and moved into place only when all are complete (a fresh
  ``out`` is one atomic rename).
- :func:`stream_zip`: the same letters and manifest.json as a zip, yielded chunk by chunk as
  each letter is rendered (the web UI's download).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ExportError
from ..fileio import fsync_path as _fsync

if TYPE_CHECKING:
    from .run import ExportedLetter, ExportPlan, Progress


def write_folder(plan: ExportPlan, out: Path, progress: Progress | None = None
                 ) -> list[ExportedLetter]:
    """Write one .docx per recipient, manifest.json and letters.zip into *out*, atomically."""
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} exists and is not a folder")
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.letterflow-", dir=parent))
    try:
        files: list[ExportedLetter] = []
        with zipfile.ZipFile(tmp / "letters.zip", "w") as zf:
            for record, data in plan.documents(progress):
                (tmp / record.filename).write_bytes(data)
                zf.writestr(record.filename, data, compress_type=zipfile.ZIP_STORED)
                files.append(record)
            manifest = manifest_json(plan, files)
            (tmp / "manifest.json").write_text(manifest, encoding="utf-8")
            zf.writestr("manifest.json", manifest, compress_type=zipfile.ZIP_DEFLATED)
        for path in tmp.iterdir():
            _fsync(path)
        _move_into_place(tmp, out, [f.filename for f in files])
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return files


def manifest_json(plan: ExportPlan, files: list[ExportedLetter]) -> str:
    return json.dumps(plan.manifest(files), indent=2, ensure_ascii=False) + "\n"


def stream_zip(plan: ExportPlan, progress: Progress | None = None) -> Iterator[bytes]:
    """The letters and manifest.json as a zip, yielded in chunks as each letter is rendered
    (for a streamed HTTP download)."""
    sink = _Sink()
    files: list[ExportedLetter] = []
    with zipfile.ZipFile(sink, "w") as zf:
        for record, data in plan.documents(progress):
            zf.writestr(record.filename, data, compress_type=zipfile.ZIP_STORED)
            files.append(record)
            yield sink.drain()
        manifest = manifest_json(plan, files)
        zf.writestr("manifest.json", manifest, compress_type=zipfile.ZIP_DEFLATED)
    yield sink.drain()


class _Sink:
    """A write-only, unseekable file for zipfile; drain() returns what was written."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _move_into_place(tmp: Path, out: Path, names: list[str]) -> None:
    if not out.exists():
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp made it private
        os.replace(tmp, out)  # one atomic rename
        return
    for name in [*names, "manifest.json", "letters.zip"]:
        os.replace(tmp / name, out / name)
    shutil.rmtree(tmp, ignore_errors=True)
