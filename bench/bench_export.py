"""Benchmark: the .docx export for all 193 UN member states, against two peers, side by side.

Each member state gets the real letter (letters/icnk-2012.txt) in its CLDR official language
among the configured catalogues (the source language, English, needs none); states whose
languages have no catalogue are skipped and counted. Three ways to make the same letters:

1. letterflow: ``build_model`` (CLDR fields, plurals) + ``DocxWriter.render`` (template
   prepared once, static parts deflated once) -- timed end to end, model included;
2. a naive python-docx loop that loads the default template for every letter (``Document()``),
   adds the same paragraphs with the same run properties and saves;
3. docxtpl: one Jinja template (.docx with a paragraph loop) rendered per letter.

The peers get the localised paragraph texts for free (computed once, outside their timing).
No reviewed translations exist yet, so by default each configured catalogue is filled in a
temporary copy of the project with *approved filler* (the source text); the timing does not
depend on the words. ``--repo`` uses the repository's catalogues as they are (drafts allowed).

Run: python bench/bench_export.py [--rounds 3] [--repo]
"""

from __future__ import annotations

import argparse
import gc
import io
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# The 193 UN member states (ISO 3166-1 alpha-2).
UN_MEMBERS = """
AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH CM CA
CF TD CL CN CO KM CG CR CI HR CU CY CZ KP CD DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ FI FR GA GM
GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI KW KG LA LV LB LS
LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MC MN ME MA MZ MM NA NR NP NL NZ NI NE NG MK NO
OM PK PW PA PG PY PE PH PL PT QA KR MD RO RU RW KN LC VC WS SM ST SA SN RS SC SL SG SK SI SB SO
ZA SS ES LK SD SR SE CH SY TJ TH TL TG TO TT TN TR TM TV UG UA AE GB TZ US UY UZ VU VE VN YE ZM
ZW
""".split()
assert len(UN_MEMBERS) == 193 and len(set(UN_MEMBERS)) == 193


def build_project(tmp: Path, use_repo: bool):
    """A temporary copy of the project; catalogues filled with approved filler unless --repo."""
    from workflow.catalogs import (
        Change,
        apply_changes,
        load_catalog,
        read_template_store,
        update_catalog,
    )
    from workflow.config import load_config
    from workflow.extract import extract_template

    repo_cfg = load_config(REPO)
    root = tmp / "proj"
    (root / "letters").mkdir(parents=True)
    for letter in repo_cfg.letters:
        shutil.copy(letter, root / "letters" / letter.name)
    langs = ", ".join(f'"{x}"' for x in repo_cfg.languages)
    lets = ", ".join(f'"letters/{p.name}"' for p in repo_cfg.letters)
    (root / "letterflow.toml").write_text(
        f"languages = [{langs}]\nletters = [{lets}]\n", encoding="utf-8")
    cfg = load_config(root)
    if use_repo:
        shutil.copytree(repo_cfg.locales_dir, cfg.locales_dir)
        return cfg, "repository catalogues (drafts allowed)"
    extract_template(cfg)
    template = read_template_store(cfg.template)
    for lang in cfg.languages:
        path = cfg.catalog(lang)
        update_catalog(template, path, lang, cfg.domain)
        cat = load_catalog(path, lang)
        changes = []
        for m in cat.active():
            forms = [m.source] if m.source_plural is None else (
                [m.source] + [m.source_plural] * (cat.nplurals - 1))
            changes.append(Change(m.context, forms[: max(1, cat.nplurals if m.plural else 1)],
                                  fuzzy=False, note="benchmark filler"))
        apply_changes(path, changes)
    return cfg, "approved filler (source text) in every configured catalogue"


def recipients_for(cfg):
    from workflow.export.recipients import Recipient, default_language, official_languages
    from workflow.export.run import available_languages

    available = [cfg.source_language, *available_languages(cfg)]
    out, skipped = [], Counter()
    for i, country in enumerate(UN_MEMBERS, start=2):
        lang = default_language(country, available)
        if lang is None:
            official = official_languages(country)
            skipped[official[0] if official else "(none in CLDR)"] += 1
            continue
        out.append(Recipient(row=i, country=country, language=lang))
    return out, skipped


# -- the peers ---------------------------------------------------------------------------

def naive_docx(model) -> bytes:
    """python-docx the obvious way: load the default template for every letter."""
    import docx
    from docx.shared import Emu

    from workflow.export import oxml as ox

    doc = docx.Document()
    style = ox.RunStyle(
        lang=model.lang_tag, east_asia_font=model.fonts.east_asia,
        complex_font=model.fonts.complex,
        east_asia_lang=model.lang_tag if model.east_asian else None,
        bidi_lang=model.lang_tag if model.complex_script else None,
        rtl=model.direction == "rtl",
    )
    rpr = ox.run_properties(style)
    for para in model.paragraphs:
        p = doc.add_paragraph()
        if model.direction == "rtl":
            ox.set_paragraph_direction(p, "rtl", "justify" if para.role == "body" else "right")
        ox.apply_run(p.add_run(para.text), rpr)
    width, height = ox.page_size_twips(model.paper)
    doc.sections[-1].page_width = Emu(width * 635)
    doc.sections[-1].page_height = Emu(height * 635)
    props = doc.core_properties
    props.title, props.language, props.author = model.title, model.lang_tag, model.author
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def make_docxtpl_template(path: Path) -> Path:
    import docx

    doc = docx.Document()
    doc.add_paragraph("{%p for p in paragraphs %}")
    doc.add_paragraph("{{ p }}")
    doc.add_paragraph("{%p endfor %}")
    doc.save(path)
    return path


def docxtpl_docx(template: Path, model) -> bytes:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(template))
    tpl.render({"paragraphs": [p.text for p in model.paragraphs]}, autoescape=True)
    props = tpl.docx.core_properties
    props.title, props.language, props.author = model.title, model.lang_tag, model.author
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def timed(fn, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repo", action="store_true",
                        help="use the repository's catalogues (drafts allowed) instead of filler")
    args = parser.parse_args()

    import docx

    from workflow.export.docx import DocxWriter
    from workflow.export.run import plan_export

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        cfg, source = build_project(tmp, args.repo)
        recipients, skipped = recipients_for(cfg)
        plan = plan_export(cfg, recipients, allow_drafts=args.repo)
        models = [plan.model(r) for r in recipients]
        template = make_docxtpl_template(tmp / "tpl.docx")
        n = len(recipients)
        by_lang = Counter(r.language for r in recipients)

        def letterflow():
            writer = DocxWriter()  # prepared inside the timing: its one-off cost counts
            for r in recipients:
                writer.render(plan.model(r))

        def letterflow_docx_only():
            writer = DocxWriter()
            for m in models:
                writer.render(m)

        def naive():
            for m in models:
                naive_docx(m)

        def tpl():
            for m in models:
                docxtpl_docx(template, m)

        # warm-up (imports, CLDR data, lxml) and a sanity check of every contender's output
        for make in (lambda m: DocxWriter().render(m), naive_docx,
                     lambda m: docxtpl_docx(template, m)):
            d = docx.Document(io.BytesIO(make(models[0])))
            assert [p.text for p in d.paragraphs] == [p.text for p in models[0].paragraphs]

        results = {}
        for name, fn in [("letterflow (model + docx)", letterflow),
                         ("letterflow (docx only)", letterflow_docx_only),
                         ("naive python-docx loop", naive),
                         ("docxtpl, one template", tpl)]:
            results[name] = timed(fn, args.rounds)

    print(f"letter: {cfg.letters[0].name}; catalogues: {source}")
    print(f"UN member states: {len(UN_MEMBERS)}; exported: {n}; skipped (no catalogue for their "
          f"CLDR language): {sum(skipped.values())}")
    print("  exported by language: " + ", ".join(f"{k} {v}" for k, v in by_lang.most_common()))
    print("  skipped by language:  " + ", ".join(f"{k} {v}" for k, v in skipped.most_common()))
    print(f"\n{'contender':30} {'best s':>8} {'median s':>9} {'ms/letter':>10}")
    best = {}
    for name, times in results.items():
        best[name] = min(times)
        print(f"{name:30} {min(times):8.3f} {statistics.median(times):9.3f} "
              f"{min(times) / n * 1000:10.2f}")
    lf = best["letterflow (model + docx)"]
    print(f"\nspeed-up vs naive python-docx loop: {best['naive python-docx loop'] / lf:.1f}x "
          f"(goal >= 1.5x)")
    print(f"speed-up vs docxtpl:                {best['docxtpl, one template'] / lf:.1f}x")
    print(f"letterflow per letter: {lf / n * 1000:.2f} ms (goal < 15 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
