"""Test fixtures for the export tests: a short letter and real, approved translations.

The project is built with the real pipeline: letter -> ``extract_template`` -> ``update_catalog``
-> ``apply_changes`` (approved, non-fuzzy), so the catalogues are what the review UI produces.
"""

from __future__ import annotations

from pathlib import Path

LETTER = """\
+++
id = "test-letter"
title = "Letter of the defectors to the Foreign Ministers"
language = "en"
date = 2012-10-31

[fields]
signatories = 179

[placeholders]
count = "number of defectors who signed"
country = "the recipient's country, in the letter's language"

[plural]
field = "signatories"
placeholder = "count"
+++

[sender]
one: {count} defector from North Korea
other: {count} defectors from North Korea

[place]
Seoul, Republic of Korea

[date]

[salutation]
Dear Foreign Minister:

[body request]
We ask your government to support a commission of inquiry.

[closing]
Thank you for your consideration.

[signature]
one: {count} defector from North Korea
other: {count} defectors from North Korea

[cc]
cc: Permanent Representative of {country} to the United Nations
"""

SOURCE = {
    "place": "Seoul, Republic of Korea",
    "salutation": "Dear Foreign Minister:",
    "request": "We ask your government to support a commission of inquiry.",
    "closing": "Thank you for your consideration.",
    "cc": "cc: Permanent Representative of {country} to the United Nations",
}

#: language -> {block id: text or list of plural forms}. "sender" and "signature" share forms.
TRANSLATIONS: dict[str, dict[str, object]] = {
    "fr": {
        "sender": [  # CLDR 42+: one, many (1 000 000...), other
            "{count} transfuge de Corée du Nord",
            "{count} de transfuges de Corée du Nord",
            "{count} transfuges de Corée du Nord",
        ],
        "place": "Séoul, République de Corée",
        "salutation": "Monsieur le Ministre des Affaires étrangères,",
        "request": "Nous demandons à votre gouvernement de soutenir une commission d’enquête.",
        "closing": "Nous vous remercions de votre attention.",
        "cc": "cc : Représentant permanent de {country} auprès des Nations Unies",
    },
    "ar": {
        "sender": [
            "{count} منشق من كوريا الشمالية (صفر)",
            "منشق واحد ({count}) من كوريا الشمالية",
            "منشقان ({count}) من كوريا الشمالية",
            "{count} منشقين من كوريا الشمالية",
            "{count} منشقًا من كوريا الشمالية",
            "{count} منشق من كوريا الشمالية",
        ],
        "place": "سيول، جمهورية كوريا",
        "salutation": "معالي وزير الخارجية،",
        "request": "نطلب من حكومتكم دعم لجنة تحقيق.",
        "closing": "شكرًا لكم على اهتمامكم.",
        "cc": "نسخة إلى: المندوب الدائم لدولة {country} لدى الأمم المتحدة",
    },
    "ko": {
        "sender": ["북한 이탈주민 {count}명"],
        "place": "대한민국 서울",
        "salutation": "외교부 장관님께",
        "request": "귀국 정부가 조사위원회를 지지해 주실 것을 요청합니다.",
        "closing": "관심을 가져 주셔서 감사합니다.",
        "cc": "참조: 유엔 주재 {country} 상임대표",
    },
    "ja": {
        "sender": ["北朝鮮からの脱北者{count}名"],
        "place": "大韓民国ソウル",
        "salutation": "外務大臣閣下",
        "request": "貴国政府が調査委員会を支持されるようお願い申し上げます。",
        "closing": "ご検討いただき、ありがとうございます。",
        "cc": "写し：{country}国連常駐代表",
    },
    "zh": {
        "sender": ["{count}名朝鲜脱北者"],
        "place": "大韩民国首尔",
        "salutation": "尊敬的外交部长：",
        "request": "我们请求贵国政府支持设立调查委员会。",
        "closing": "感谢您的关注。",
        "cc": "抄送：{country}常驻联合国代表",
    },
    "ru": {
        "sender": [
            "{count} перебежчик из Северной Кореи",
            "{count} перебежчика из Северной Кореи",
            "{count} перебежчиков из Северной Кореи",
        ],
        "place": "Сеул, Республика Корея",
        "salutation": "Уважаемый господин министр иностранных дел!",
        "request": "Мы просим ваше правительство поддержать создание комиссии по расследованию.",
        "closing": "Благодарим вас за внимание.",
        "cc": "Копия: Постоянному представителю страны {country} при ООН",
    },
    "pl": {
        "sender": [
            "{count} uciekinier z Korei Północnej",
            "{count} uciekinierzy z Korei Północnej",
            "{count} uciekinierów z Korei Północnej",
        ],
        "place": "Seul, Republika Korei",
        "salutation": "Szanowny Panie Ministrze,",
        "request": "Prosimy Pański rząd o poparcie komisji śledczej.",
        "closing": "Dziękujemy za uwagę.",
        "cc": "Do wiadomości: Stały Przedstawiciel państwa {country} przy ONZ",
    },
    "es": {
        "sender": [
            "{count} desertor de Corea del Norte",
            "{count} de desertores de Corea del Norte",
            "{count} desertores de Corea del Norte",
        ],
        "place": "Seúl, República de Corea",
        "salutation": "Señor Ministro de Relaciones Exteriores:",
        "request": "Pedimos a su gobierno que apoye una comisión de investigación.",
        "closing": "Gracias por su atención.",
        "cc": "cc: Representante Permanente de {country} ante las Naciones Unidas",
    },
}

APPROVED = ("fr", "ar", "ko", "ja", "zh", "ru", "pl", "es")


def changes_for(lang: str, *, fuzzy: bool = False, only: set[str] | None = None):
    from workflow.catalogs import Change

    out = []
    for block_id, text in TRANSLATIONS[lang].items():
        ids = ["sender", "signature"] if block_id == "sender" else [block_id]
        for bid in ids:
            if only is not None and bid not in only:
                continue
            strings = list(text) if isinstance(text, list) else [text]
            out.append(Change(f"test-letter/{bid}", strings, fuzzy=fuzzy,
                              note="approved by tester" if not fuzzy else None))
    return out


def make_project(root: Path, *, approved=APPROVED, drafts=(), empty=("de",),
                 extra_toml: str = "") -> Path:
    """A project with the test letter; catalogues for *approved* (all approved), *drafts*
    (all fuzzy) and *empty* (untranslated) languages."""
    from workflow.catalogs import apply_changes, read_template_store, update_catalog
    from workflow.config import load_config
    from workflow.extract import extract_template

    root.mkdir(parents=True, exist_ok=True)
    (root / "letters").mkdir(exist_ok=True)
    (root / "letters" / "test-letter.txt").write_text(LETTER, encoding="utf-8")
    langs = [*approved, *drafts, *empty]
    (root / "letterflow.toml").write_text(
        "languages = [" + ", ".join(f'"{x}"' for x in langs) + "]\n"
        'letters = ["letters/test-letter.txt"]\n'
        'database = "var/letterflow.sqlite3"\n' + extra_toml,
        encoding="utf-8",
    )
    cfg = load_config(root)
    extract_template(cfg)
    template = read_template_store(cfg.template)
    for lang in langs:
        update_catalog(template, cfg.catalog(lang), lang, cfg.domain)
    for lang in approved:
        result = apply_changes(cfg.catalog(lang), changes_for(lang))
        assert not result.missing, result.missing
        set_last_translator(cfg.catalog(lang))
    for lang in drafts:
        apply_changes(cfg.catalog(lang), changes_for(lang, fuzzy=True))
    return root


def set_last_translator(path: Path, who: str = "Test Translator <tt@example.org>") -> None:
    """Say who edited the catalogue, as Poedit does (approvals made outside the UI)."""
    text = path.read_text(encoding="utf-8")
    assert '"Last-Translator: \\n"' in text
    path.write_text(text.replace('"Last-Translator: \\n"', f'"Last-Translator: {who}\\n"', 1),
                    encoding="utf-8")


def write_recipients(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
