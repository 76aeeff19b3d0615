"""Project configuration: ``[tool.letterflow]`` in pyproject.toml, or a letterflow.toml.

Config lives in files; secrets (API keys, the Flask secret) only in environment variables.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from .errors import ConfigError
from .records import Record, factory

#: What a language code may look like before it is ever used in a path.
_LOCALE_ID = re.compile(r"^[a-z]{2,3}(?:_[A-Za-z0-9]{2,8})*$")


def is_locale_id(code: str) -> bool:
    return bool(_LOCALE_ID.match(code))


@lru_cache(maxsize=1)
def _cldr_data() -> str | None:
    """Babel's CLDR data folder, found without importing Babel (which would cost every
    ``letterflow check`` ~10 ms)."""
    import importlib.util

    spec = importlib.util.find_spec("babel")
    for folder in (spec and spec.submodule_search_locations) or ():
        data = os.path.join(folder, "locale-data")
        if os.path.isdir(data):
            return data
    return None


def _cldr_has(code: str) -> bool:
    """Babel's CLDR data has a file for the locale id *code* (already checked by
    :func:`is_locale_id`, so it is a plain file name)."""
    data = _cldr_data()
    return data is not None and os.path.exists(os.path.join(data, f"{code}.dat"))


def validate_locale(code: str) -> str:
    """Return *code* if it is a plain gettext locale id that CLDR knows; else ConfigError."""
    if not isinstance(code, str) or not is_locale_id(code):
        raise ConfigError(f"{code!r} is not a locale id (expected e.g. fr, pt_BR, zh_Hant)")
    if _cldr_has(code):  # CLDR has a data file for it: no need to load Babel
        return code
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        raise ConfigError(f"unknown language {code!r}: CLDR has no such locale") from None
    return code


class Config(Record):
    root: Path
    source_language: str = "en"
    languages: list[str] = factory(list)
    letters: list[Path] = factory(list)
    domain: str = "letter"
    required: list[str] = factory(list)
    locales_dir: Path = Path("locales")
    database: Path = Path("var/letterflow.sqlite3")
    glossary: Path = Path("locales/glossary.tbx")
    mt: dict = factory(dict)
    export: dict = factory(dict)
    web: dict = factory(dict)
    git: dict = factory(dict)
    source_file: Path | None = None
    #: "letterflow": the template is extracted from the letters (the gate compares them);
    #: "pybabel": another extractor made it (the review UI's own "ui" domain), no letters.
    extracted_by: str = "letterflow"

    @property
    def template(self) -> Path:
        return self.locales_dir / f"{self.domain}.pot"

    def catalog(self, lang: str) -> Path:
        """Path of the catalogue of *lang*; the code is validated first, never used raw."""
        lang = self.check_language(lang)
        key = (lang, self.locales_dir, self.domain)
        known = self.__dict__.setdefault("_catalog_paths", {})  # the gate asks many times
        if key not in known:
            known[key] = self.locales_dir / lang / "LC_MESSAGES" / f"{self.domain}.po"
        return known[key]

    def check_language(self, code: str) -> str:
        """Accept only a configured language code (which config loading checked against CLDR)."""
        if code not in self.languages:
            if isinstance(code, str) and is_locale_id(code):
                raise ConfigError(
                    f"language {code!r} is not configured (configured: {', '.join(self.languages)})"
                )
            raise ConfigError(f"{code!r} is not a language code")
        return code

    @property
    def template_limits(self) -> tuple[int, int]:
        """(largest part, whole package) in bytes, inflated, that a Word template, appendix
        or Word letter may hold: ``[tool.letterflow.export] template_max_part_mb`` (32)
        and ``template_max_total_mb`` (128), checked when the configuration is loaded."""
        mb = 1024 * 1024
        return (int(self.export.get(TEMPLATE_PART_KEY, TEMPLATE_MAX_PART_MB) * mb),
                int(self.export.get(TEMPLATE_TOTAL_KEY, TEMPLATE_MAX_TOTAL_MB) * mb))

    def parse_languages(self, spec: str | None) -> list[str]:
        """Turn "fr,de" (or None = all configured) into a checked list."""
        if not spec:
            return list(self.languages)
        out: list[str] = []
        for part in spec.split(","):
            part = part.strip()
            if part and part not in out:
                out.append(self.check_language(part))
        return out


def _find_config_file(start: Path, memo: bool = False) -> tuple[Path, dict | None] | None:
    """(the configuration file, its parsed TOML if it had to be parsed to know) from
    *start* upward."""
    for folder in [start, *start.parents]:
        lf = folder / "letterflow.toml"
        if lf.is_file():
            return lf, None
        pp = folder / "pyproject.toml"
        if pp.is_file():
            try:
                data = _parse_toml(pp, memo)
            except (_InvalidToml, UnicodeDecodeError):
                continue
            if "letterflow" in data.get("tool", {}):
                return pp, data
    return None


class _InvalidToml(ValueError):
    """tomllib's TOMLDecodeError, without importing tomllib to name it."""


def _parse_toml(path: Path, memo: bool = False) -> dict:
    """The TOML table of *path* (read as ``Path.read_text(encoding="utf-8")`` reads it).
    With *memo* (``letterflow check``), an unchanged file is taken from the stat memo of
    its project's cache folder (``workflow/statmemo.py``): no read, no tomllib."""
    from .statmemo import memo_for, read_with_stats

    memo_file = memo_for(os.environ.get("LETTERFLOW_CACHE_DIR")
                         or path.parent / ".letterflow-cache") if memo else None
    if memo_file is not None:
        hit = memo_file.get("toml", str(path), os.stat(path))
        if hit is not None:
            return _copy(hit)
    import tomllib

    raw, before, after = read_with_stats(str(path))
    text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # universal newlines
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _InvalidToml(str(exc)) from None
    if memo_file is not None and _plain(data):
        memo_file.put("toml", str(path), before, after, _copy(data))
    return data


def _copy(table: dict) -> dict:
    """A deep copy (the memo's table is never shared with a configuration)."""
    import marshal

    return marshal.loads(marshal.dumps(table))


def _plain(value) -> bool:
    """Only strings, numbers, booleans, lists and tables (what the memo can hold: a TOML
    date or time is read again each time)."""
    if isinstance(value, dict):
        return all(_plain(v) for v in value.values())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return isinstance(value, str | int | float | bool)


def load_config(project_dir: str | Path | None = None, *, memo: bool = False) -> Config:
    """Find and load the configuration (``--project``, ``$LETTERFLOW_PROJECT``, or cwd upward).
    *memo*: reuse the parsed file of an earlier run while it is unchanged (``check``)."""
    start = Path(project_dir or os.environ.get("LETTERFLOW_PROJECT") or Path.cwd()).resolve()
    found = (start, None) if start.is_file() else _find_config_file(start, memo)
    if found is None:
        raise ConfigError(
            f"no letterflow project found in {start} or above "
            "(need pyproject.toml with [tool.letterflow], or letterflow.toml)"
        )
    path, data = found
    if data is None:
        try:
            data = _parse_toml(path, memo)
        except _InvalidToml as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    table = data.get("tool", {}).get("letterflow") if path.name == "pyproject.toml" else data
    if path.name == "letterflow.toml" and "tool" in data and "letterflow" in data["tool"]:
        table = data["tool"]["letterflow"]
    return config_from_table(table or {}, path.parent, source_file=path)


#: Template limits ([tool.letterflow.export]): MB a part, and all parts, may inflate to.
TEMPLATE_PART_KEY, TEMPLATE_TOTAL_KEY = "template_max_part_mb", "template_max_total_mb"
TEMPLATE_MAX_PART_MB, TEMPLATE_MAX_TOTAL_MB = 32, 128


def _check_template_limits(export: dict, where: str) -> None:
    for key in (TEMPLATE_PART_KEY, TEMPLATE_TOTAL_KEY):
        value = export.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or not 0 < value <= 1024 * 1024):
            raise ConfigError(f"{where}: [tool.letterflow.export] {key} must be a number of "
                              f"megabytes above 0 (got {value!r})")


#: The keys [tool.letterflow] may hold.
_KNOWN_KEYS = frozenset(
    {
        "source_language",
        "languages",
        "letters",
        "domain",
        "required",
        "locales_dir",
        "database",
        "glossary",
        "mt",
        "export",
        "web",
        "git",
        "extracted_by",
    }
)


def config_from_table(table: dict, root: Path, source_file: Path | None = None) -> Config:
    root = Path(root).resolve()
    where = str(source_file or root)
    unknown = sorted(set(table) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown [tool.letterflow] key(s): {', '.join(unknown)}")
    source, languages, required = _languages(table, where)
    domain = _domain(table, where)
    letters = [_under(root, p) for p in _get_list(table, "letters", where)]
    extracted_by = table.get("extracted_by", "letterflow")
    if extracted_by not in ("letterflow", "pybabel"):
        raise ConfigError(f"{where}: extracted_by must be \"letterflow\" or \"pybabel\"")
    if not letters and extracted_by == "letterflow":
        raise ConfigError(f"{where}: [tool.letterflow] letters lists no letter file")
    _check_template_limits(dict(table.get("export", {})), where)
    return Config(
        root=root,
        source_language=source,
        languages=languages,
        letters=letters,
        domain=domain,
        required=list(required),
        locales_dir=_under(root, table.get("locales_dir", "locales")),
        database=Path(
            os.environ.get("LETTERFLOW_DATABASE")
            or _under(root, table.get("database", "var/letterflow.sqlite3"))
        ),
        glossary=_under(root, table.get("glossary", "locales/glossary.tbx")),
        mt=dict(table.get("mt", {})),
        export=dict(table.get("export", {})),
        web=dict(table.get("web", {})),
        git=dict(table.get("git", {})),
        source_file=source_file,
        extracted_by=extracted_by,
    )


def _get_list(table: dict, key: str, where: str) -> list:
    """A list setting; a comma-separated string is accepted too. Missing: []."""
    value = table.get(key, [])
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list):
        raise ConfigError(f"{where}: [tool.letterflow] {key} must be a list")
    return value


def _languages(table: dict, where: str) -> tuple[str, list[str], list]:
    """(source language, target languages, required languages), validated."""
    source = validate_locale(table.get("source_language", "en"))
    languages = [validate_locale(c) for c in _get_list(table, "languages", where)]
    dupes = {c for c in languages if languages.count(c) > 1}
    if dupes:
        raise ConfigError(f"{where}: language(s) listed twice: {', '.join(sorted(dupes))}")
    if source in languages:
        raise ConfigError(f"{where}: the source language {source!r} is also a target language")
    required = _get_list(table, "required", where)
    for code in required:
        validate_locale(code)
        if code not in languages:
            raise ConfigError(f"{where}: required language {code!r} is not in languages")
    return source, languages, required


def _domain(table: dict, where: str) -> str:
    domain = table.get("domain", "letter")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", domain) or domain.startswith("."):
        raise ConfigError(f"{where}: domain {domain!r} must be a plain file name")
    return domain


def _under(root: Path, value: str | Path) -> Path:
    """*value* as a Path, relative ones taken from the project root."""
    p = Path(value)
    return p if p.is_absolute() else root / p
