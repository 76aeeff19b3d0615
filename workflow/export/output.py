"""The output of an export run: the folder written atomically, or a zip streamed.

- :func:`write_folder`: every letter, manifest.json and letters.zip are written under a
  temporary folder next to ``out``, which is then swapped with ``out`` in one atomic step:
  ``out`` is always exactly one run, old or new, never a mix.
- :func:`stream_zip`: the same letters and manifest.json as a zip, yielded chunk by chunk as
  each letter is rendered (the web UI's download).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..crashpoint import crash_point
from ..errors import ExportError
from ..fileio import fsync_dir
from ..fileio import fsync_path as _fsync

if TYPE_CHECKING:
    from .run import ExportedLetter, ExportPlan, Progress


def write_folder(plan: ExportPlan, out: Path, progress: Progress | None = None
                 ) -> list[ExportedLetter]:
    """Make *out* exactly this run: one .docx per recipient, manifest.json and letters.zip.

    Everything is built in a temporary folder beside *out*, then swapped in with one
    atomic exchange of the two names (``renameat2(RENAME_EXCHANGE)``): killed at any
    point, *out* is the old run or the new run, never a mix. Letters of recipients no
    longer in the file go with the old run. Temporary folders a killed run left are
    removed by the next run (runs into one *out* take turns on a lock beside it)."""
    from ..fileio import locked

    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} exists and is not a folder")
    parent = out.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    with locked(parent / f".{out.name}.letterflow"):
        sweep_stale_runs(out)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.letterflow-", dir=parent))
        try:
            files = _build(plan, tmp, progress)
            _check_replaceable(out)
            _swap_in(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return files


def _build(plan: ExportPlan, tmp: Path, progress: Progress | None) -> list[ExportedLetter]:
    """Every letter, letters.zip and manifest.json in *tmp*, synced to disk."""
    files: list[ExportedLetter] = []
    with zipfile.ZipFile(tmp / "letters.zip", "w") as zf:
        for record, data in plan.documents(progress):
            (tmp / record.filename).write_bytes(data)
            zf.writestr(record.filename, data, compress_type=zipfile.ZIP_STORED)
            files.append(record)
            crash_point("export.render")
        manifest = manifest_json(plan, files)
        (tmp / "manifest.json").write_text(manifest, encoding="utf-8")
        crash_point("export.manifest")
        zf.writestr("manifest.json", manifest, compress_type=zipfile.ZIP_DEFLATED)
    crash_point("export.zip")
    for path in tmp.iterdir():
        _fsync(path)
    fsync_dir(tmp)
    return files


def _check_replaceable(out: Path) -> None:
    """*out* is replaced as a whole: refuse a folder that is not an earlier export."""
    if not out.is_dir():
        return
    if any(out.iterdir()) and not (out / "manifest.json").is_file():
        raise ExportError(
            f"{out} is not empty and holds no manifest.json: it is not an earlier export, "
            "and --out is replaced as a whole; choose a new or empty folder")


def sweep_stale_runs(out: Path) -> list[Path]:
    """Remove the temporary folders of killed runs into *out* (call under the run lock).
    A run killed half-way through the two-rename fallback leaves *out* missing and the
    old run aside: it is put back."""
    parent = out.absolute().parent
    gone: list[Path] = []
    aside = sorted(parent.glob(f".{out.name}.letterflow-old-*"))
    if aside and not out.exists():
        os.rename(aside.pop(), out)
    for path in [*aside, *parent.glob(f".{out.name}.letterflow-*")]:
        if path.is_dir() and path.exists():
            shutil.rmtree(path, ignore_errors=True)
            gone.append(path)
    return gone


def _swap_in(tmp: Path, out: Path) -> None:
    """Put the finished run *tmp* in place of *out* atomically; remove the old run."""
    umask = os.umask(0o022)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp made it private
    crash_point("export.move")
    if not out.exists():
        os.rename(tmp, out)  # one atomic rename
        fsync_dir(out.absolute().parent)
        return
    if _exchange(tmp, out):
        crash_point("export.swap")
        fsync_dir(out.absolute().parent)
        shutil.rmtree(tmp, ignore_errors=True)  # now the old run
        return
    # no atomic exchange here (not Linux, or the file system refuses it): two renames;
    # a kill between them is repaired by the next run (sweep_stale_runs)
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.letterflow-old-", dir=tmp.parent))
    os.rmdir(aside)
    os.rename(out, aside)
    crash_point("export.swap")
    os.rename(tmp, out)
    fsync_dir(out.absolute().parent)
    shutil.rmtree(aside, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names *a* and *b* in one step (Linux renameat2 RENAME_EXCHANGE); False if
    the system cannot."""
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    func = getattr(libc, "renameat2", None)
    if func is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = func(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


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


