"""Build a synthetic letterflow project: N messages x L languages (shared by the benchmarks).

The letter has N body blocks (some with {country}, some plural); every catalogue is
created with `letterflow update` semantics and filled with 85% approved, 10% draft and
5% untranslated text, keeping placeholders and numbers so the QA checks have real work.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LANGS = [
    "ar",
    "zh",
    "fr",
    "ru",
    "es",
    "de",
    "ja",
    "ko",
    "pt",
    "it",
    "nl",
    "pl",
    "ca",
    "gl",
    "sv",
    "da",
    "fi",
    "nb",
    "cs",
    "sk",
    "hu",
    "ro",
    "bg",
    "el",
    "tr",
    "uk",
    "hr",
    "sl",
    "lt",
    "lv",
]
WORDS = (
    "the human rights council general assembly commission of inquiry crimes against humanity "
    "forced labour arbitrary detention prison camps survivors testimony repatriation families "
    "food medicine international community recognition support government country request "
    "urgent relief abuses violations systematic widespread security court prosecutor statute"
).split()


def letter_text(n: int, seed: int = 1, changed: float = 0.0) -> str:
    rnd = random.Random(seed)
    out = [
        '+++\nid = "synthetic"\ndate = 2024-01-01\n[fields]\nsignatories = 179\n'
        '[placeholders]\ncount = "signatories"\ncountry = "recipient country"\n'
        '[plural]\nfield = "signatories"\nplaceholder = "count"\n+++\n'
    ]
    change_rnd = random.Random(seed + 99)
    for i in range(n):
        words = _no_repeats([rnd.choice(WORDS) for _ in range(rnd.randint(6, 40))], rnd, WORDS)
        if i % 10 == 0:
            words.insert(rnd.randint(0, len(words)), "{country}")
        if i % 17 == 0:
            words.append(str(rnd.randint(2, 2000)))
        text = " ".join(words).capitalize() + "."
        if changed and change_rnd.random() < changed:
            text = text[:-1] + " again."
        if i % 500 == 0:
            out.append(
                f"[body p{i:05d}]\none: {{count}} {text}\nother: {{count}} {text} (plural)\n"
            )
        else:
            out.append(f"[body p{i:05d}]\n{text}\n")
    return "\n".join(out)


_VOCAB: dict[str, list[str]] = {}


def vocabulary(lang: str) -> list[str]:
    """Real words of *lang* from CLDR (territory, language, month and day names), so the
    language checks see text in the catalogue's own language and script."""
    if lang not in _VOCAB:
        from babel import Locale

        loc = Locale.parse(lang)
        words: set[str] = set()
        for names in (loc.territories, loc.languages, loc.months["format"]["wide"],
                      loc.days["format"]["wide"]):
            for name in names.values():
                clean = name.replace("(", " ").replace(")", " ")
                words.update(w for w in clean.split() if len(w) > 1)
        _VOCAB[lang] = sorted(words)
    return _VOCAB[lang]


def _no_repeats(words: list[str], rnd: random.Random, vocab: list[str]) -> list[str]:
    for i in range(1, len(words)):
        while words[i].casefold() == words[i - 1].casefold():
            words[i] = rnd.choice(vocab)
    return words


def translate(source: str, rnd: random.Random, lang: str = "fr") -> str:
    vocab = vocabulary(lang)
    keep = [w for w in source.split() if w.startswith("{") or w.strip(".").isdigit()]
    words = _no_repeats([rnd.choice(vocab) for _ in range(max(3, len(source.split())))], rnd, vocab)
    for k in keep:
        words.insert(rnd.randint(1, len(words) - 1), k.strip("."))
    sep = "" if lang in ("zh", "ja") else " "
    end = "。" if lang in ("zh", "ja") else "."
    return sep.join(words) + end


def build(root: Path, n: int = 10_000, langs: list[str] = LANGS, quiet: bool = False) -> Path:
    from workflow.catalogs import (
        Change,
        apply_changes,
        load_catalog,
        read_template_store,
        update_catalog,
    )
    from workflow.config import load_config
    from workflow.extract import extract_template

    root.mkdir(parents=True, exist_ok=True)
    (root / "letters").mkdir(exist_ok=True)
    (root / "letters" / "synthetic.txt").write_text(letter_text(n), encoding="utf-8")
    lang_list = ", ".join(f'"{x}"' for x in langs)
    (root / "letterflow.toml").write_text(
        f'languages = [{lang_list}]\nletters = ["letters/synthetic.txt"]\nrequired = []\n',
        encoding="utf-8",
    )
    cfg = load_config(root)
    t0 = time.perf_counter()
    extract_template(cfg)
    template = read_template_store(cfg.template)
    for k, lang in enumerate(langs):
        path = cfg.catalog(lang)
        update_catalog(template, path, lang, cfg.domain)
        cat = load_catalog(path)
        rnd = random.Random(k)
        changes = []
        for m in cat.active():
            r = rnd.random()
            if r < 0.05:
                continue
            if m.plural:
                strings = [translate(m.source_plural, rnd, lang) for _ in range(cat.nplurals)]
            else:
                strings = [translate(m.source, rnd, lang)]
            changes.append(Change(m.context, strings, fuzzy=r < 0.15))
        apply_changes(path, changes)
        if not quiet:
            print(
                f"  built {lang} ({k + 1}/{len(langs)}) {time.perf_counter() - t0:.0f}s",
                file=sys.stderr,
            )
    return root


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/out/synthetic")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    build(target, n)
    print(target)
