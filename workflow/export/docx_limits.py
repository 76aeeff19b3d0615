"""Limits of a Word package read for the export (issue 10, defect 8): a template, an appendix
or a Word letter whose parts inflate past the limits is refused from the sizes its zip
declares, before anything is inflated; malformed XML is one line, not an lxml traceback.

The limits are the project's ``[tool.letterflow.export]`` ``template_max_part_mb`` and
``template_max_total_mb`` (``Config.template_limits``), 32 MB and 128 MB by default.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import ExportError

#: Largest part (inflated) and whole package a template or appendix may hold by default: a
#: letterhead is a few hundred KB; these limits stop a small file that inflates to gigabytes.
#: A project sets its own in ``[tool.letterflow.export]`` (``Config.template_limits``).
MAX_PART_BYTES = 32 * 1024 * 1024
MAX_PACKAGE_BYTES = 128 * 1024 * 1024


def check_sizes(infos: list[zipfile.ZipInfo], what: str,
                limits: tuple[int, int] | None = None) -> None:
    """Refuse a package whose parts inflate past *limits* ((part, total) bytes; default
    32 MB and 128 MB), from the sizes its zip declares: ExportError, one line."""
    max_part, max_total = limits or (MAX_PART_BYTES, MAX_PACKAGE_BYTES)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > max_part:
            raise ExportError(
                f"{what}: part {info.filename} inflates to {info.file_size:,} bytes, "
                f"over the {_mb(max_part)} MB limit; refused unread (template_max_part_mb)")
    if total > max_total:
        raise ExportError(f"{what}: its parts inflate to {total:,} bytes, over the "
                          f"{_mb(max_total)} MB limit; refused unread (template_max_total_mb)")


def _mb(n: int) -> str:
    return f"{n / 2**20:g}"


def check_package(data: bytes, what: str, limits: tuple[int, int] | None = None) -> None:
    """Refuse a .docx whose parts are too large (:func:`check_sizes`, before anything is
    inflated) or whose XML is malformed: ExportError, one line."""
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            check_sizes(infos, what, limits)
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    try:
                        etree.fromstring(z.read(info), parser)
                    except etree.XMLSyntaxError as exc:
                        raise ExportError(f"{what}: malformed XML in {info.filename} "
                                          f"({' '.join(str(exc).split())})") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ExportError(f"{what}: not a Word .docx file ({exc})") from None
