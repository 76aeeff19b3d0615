"""A project for issue 11's tests: a two-page letter with forms of address and a cc line
that uses ``{country_of}``; hand-written translations and country phrases, approved through
the real catalogue code (``apply_changes``), as review would leave them."""

from __future__ import annotations

from pathlib import Path

LETTER = """\
+++
id = "dip"
title = "Letter to the Foreign Ministers"
language = "en"
date = 2012-10-31

[fields]
signatories = 179

[placeholders]
count = "number of signatories"
country_of = "'of' + the recipient's country, in the form the sentence needs"

[plural]
field = "signatories"
placeholder = "count"

[forms_of_address]
minister-m = "a male minister"
minister-f = "a female minister"
excellency = "Excellency"
+++

[sender]
one: {count} defector from North Korea
other: {count} defectors from North Korea

[date]

[salutation]
Dear Foreign Minister:

[body p1]
BODY

[body p2]
BODY

[body p3]
BODY

[body p4]
BODY

[body p5]
BODY

[body p6]
BODY

[closing]
Thank you for your consideration.

[signature]
one: {count} defector from North Korea
other: {count} defectors from North Korea

[cc]
cc: Permanent Representative {country_of} to the United Nations
"""

BODY_EN = ("We are survivors of severe human rights violations in North Korea and we seek "
           "your urgent support for an examination by a commission of inquiry under United "
           "Nations auspices, because such acts were committed against us and are still being "
           "committed against those who remain in the camps. ") * 2

#: language -> messages (block id -> text; sender/signature: plural forms; salutation and
#: closing: form -> text, "" = the plain block)
T: dict[str, dict] = {
    "fr": {
        "title": "Lettre aux ministres des Affaires étrangères",
        "sender": ["{count} transfuge de Corée du Nord", "{count} de transfuges de Corée du Nord",
                   "{count} transfuges de Corée du Nord"],
        "salutation": {"": "Monsieur le Ministre,", "minister-m": "Monsieur le Ministre,",
                       "minister-f": "Madame la Ministre,", "excellency": "Excellence,"},
        "closing": {"": "Veuillez agréer l’expression de notre très haute considération.",
                    "minister-m": "Veuillez agréer, Monsieur le Ministre, l’expression de notre "
                                  "très haute considération.",
                    "minister-f": "Veuillez agréer, Madame la Ministre, l’expression de notre "
                                  "très haute considération.",
                    "excellency": "Veuillez agréer, Excellence, l’expression de notre très "
                                  "haute considération."},
        "body": ("Nous sommes des survivants de graves violations des droits humains en Corée "
                 "du Nord et nous sollicitons votre soutien urgent pour un examen par une "
                 "commission d’enquête sous l’égide des Nations Unies. ") * 2,
        "cc": "cc : Représentant permanent {country_of} auprès des Nations Unies",
    },
    "pt": {
        "title": "Carta aos Ministros dos Negócios Estrangeiros",
        "sender": ["{count} desertor da Coreia do Norte",
                   "{count} de desertores da Coreia do Norte",
                   "{count} desertores da Coreia do Norte"],
        "salutation": {"": "Senhor Ministro,", "minister-m": "Senhor Ministro,",
                       "minister-f": "Senhora Ministra,", "excellency": "Excelência,"},
        "closing": {k: "Agradecemos a vossa atenção." for k in
                    ("", "minister-m", "minister-f", "excellency")},
        "body": ("Somos sobreviventes de graves violações de direitos humanos na Coreia do "
                 "Norte e pedimos o vosso apoio urgente a um exame por uma comissão de "
                 "inquérito sob os auspícios das Nações Unidas. ") * 2,
        "cc": "cc: Representante Permanente {country_of} junto às Nações Unidas",
    },
    "ru": {
        "title": "Письмо министрам иностранных дел",
        "sender": ["{count} перебежчик из Северной Кореи", "{count} перебежчика из Северной Кореи",
                   "{count} перебежчиков из Северной Кореи"],
        "salutation": {"": "Уважаемый господин министр!",
                       "minister-m": "Уважаемый господин министр!",
                       "minister-f": "Уважаемая госпожа министр!",
                       "excellency": "Ваше Превосходительство!"},
        "closing": {k: "Благодарим Вас за внимание." for k in
                    ("", "minister-m", "minister-f", "excellency")},
        "body": ("Мы пережили тяжкие нарушения прав человека в Северной Корее и просим Вашей "
                 "срочной поддержки в рассмотрении этого вопроса комиссией по расследованию "
                 "под эгидой Организации Объединённых Наций. ") * 2,
        "cc": "Копия: Постоянному представителю {country_of} при ООН",
    },
    "pl": {
        "title": "List do ministrów spraw zagranicznych",
        "sender": ["{count} uciekinier z Korei Północnej", "{count} uciekinierzy z Korei Północnej",
                   "{count} uciekinierów z Korei Północnej"],
        "salutation": {"": "Szanowny Panie Ministrze,", "minister-m": "Szanowny Panie Ministrze,",
                       "minister-f": "Szanowna Pani Minister,",
                       "excellency": "Wasza Ekscelencjo,"},
        "closing": {k: "Dziękujemy za uwagę." for k in
                    ("", "minister-m", "minister-f", "excellency")},
        "body": ("Jesteśmy ocalałymi z poważnych naruszeń praw człowieka w Korei Północnej i "
                 "prosimy o pilne poparcie dla zbadania tej sprawy przez komisję śledczą pod "
                 "auspicjami Organizacji Narodów Zjednoczonych. ") * 2,
        "cc": "Do wiadomości: Stały Przedstawiciel {country_of} przy ONZ",
    },
    "ar": {
        "title": "رسالة إلى وزراء الخارجية",
        "sender": ["{count} منشق من كوريا الشمالية", "منشق واحد ({count}) من كوريا الشمالية",
                   "منشقان ({count}) من كوريا الشمالية", "{count} منشقين من كوريا الشمالية",
                   "{count} منشقًا من كوريا الشمالية", "{count} منشق من كوريا الشمالية"],
        "salutation": {"": "معالي الوزير،", "minister-m": "معالي الوزير،",
                       "minister-f": "معالي الوزيرة،", "excellency": "صاحب المعالي،"},
        "closing": {k: "وتفضلوا بقبول فائق الاحترام والتقدير." for k in
                    ("", "minister-m", "minister-f", "excellency")},
        "body": ("نحن ناجون من انتهاكات جسيمة لحقوق الإنسان في كوريا الشمالية، ونلتمس دعمكم "
                 "العاجل لفحص هذه الانتهاكات من قبل لجنة تحقيق تحت رعاية الأمم المتحدة، لأن "
                 "هذه الأفعال ارتكبت بحقنا ولا تزال ترتكب بحق من بقوا في المعسكرات. ") * 2,
        "cc": "نسخة إلى: المندوب الدائم {country_of} لدى الأمم المتحدة",
    },
    "ko": {
        "title": "외교부 장관들께 드리는 서한",
        "sender": ["북한 이탈주민 {count}명"],
        "salutation": {k: "외교부 장관님께" for k in
                       ("", "minister-m", "minister-f", "excellency")},
        "closing": {k: "관심을 가져 주셔서 감사합니다." for k in
                    ("", "minister-m", "minister-f", "excellency")},
        "body": ("우리는 북한에서 심각한 인권 침해를 겪은 생존자들로서, 유엔 주관의 조사위원회를 "
                 "통한 조사를 위해 귀하의 긴급한 지지를 요청합니다. 이러한 행위는 우리에게 "
                 "자행되었으며 수용소에 남아 있는 이들에게 지금도 자행되고 있습니다. ") * 2,
        "cc": "참조: 유엔 주재 {country_of} 상임대표",
    },
}

#: (language, country) -> the "of" phrase a translator approves in countries.po
OF = {
    ("en", "US"): "of the United States of America",
    ("fr", "FR"): "de la France", ("fr", "CA"): "du Canada",
    ("pt", "BR"): "do Brasil", ("ru", "RU"): "Российской Федерации",
    ("pl", "PL"): "Rzeczypospolitej Polskiej",
    ("ar", "SA"): "للمملكة العربية السعودية", ("ar", "EG"): "لجمهورية مصر العربية",
    ("ko", "KR"): "대한민국",
}

RECIPIENTS = """\
country,language,form
US,en,excellency
FR,fr,minister-f
CA,fr,minister-m
BR,pt,minister-m
RU,ru,minister-m
PL,pl,minister-f
SA,ar,excellency
EG,ar,minister-m
KR,ko,
"""


def changes(lang: str):
    from workflow.catalogs import Change

    t = T[lang]
    out = [Change("dip/title", [t["title"]], fuzzy=False),
           Change("dip/cc", [t["cc"]], fuzzy=False)]
    for bid in ("sender", "signature"):
        out.append(Change(f"dip/{bid}", list(t["sender"]), fuzzy=False))
    for n in range(1, 7):
        out.append(Change(f"dip/p{n}", [t["body"]], fuzzy=False))
    for role in ("salutation", "closing"):
        for form, text in t[role].items():
            ctx = f"dip/{role}" + (f"@{form}" if form else "")
            out.append(Change(ctx, [text], fuzzy=False))
    return out


SIGNATORIES = '''signatories = ["Kim Young-soon", "Shin Dong-hyuk", "Human Rights Watch"]
signatories_heading = "Signatories"
'''
HEADINGS = {"fr": "Signataires", "pt": "Signatários", "ru": "Подписавшие", "pl": "Sygnatariusze",
            "ar": "الموقعون", "ko": "서명자"}


def make_project(root: Path, *, approve_countries: bool = True, signatories: bool = False,
                 extra_toml: str = "") -> Path:
    from export_support import approve_countries as approve
    from export_support import set_last_translator

    from workflow.catalogs import apply_changes, read_template_store, update_catalog
    from workflow.config import load_config
    from workflow.extract import extract_template

    (root / "letters").mkdir(parents=True, exist_ok=True)
    letter = LETTER.replace("BODY", BODY_EN)
    if signatories:
        letter = letter.replace('title = "Letter', SIGNATORIES + 'title = "Letter', 1)
    (root / "letters" / "dip.txt").write_text(letter, encoding="utf-8")
    langs = list(T)
    (root / "letterflow.toml").write_text(
        "languages = [" + ", ".join(f'"{x}"' for x in langs) + "]\n"
        'letters = ["letters/dip.txt"]\n'
        'database = "var/letterflow.sqlite3"\n' + extra_toml, encoding="utf-8")
    (root / "recipients.csv").write_text(RECIPIENTS, encoding="utf-8")
    cfg = load_config(root)
    extract_template(cfg)
    template = read_template_store(cfg.template)
    for lang in langs:
        update_catalog(template, cfg.catalog(lang), lang, cfg.domain)
        extra = []
        if signatories:
            from workflow.catalogs import Change

            extra = [Change("dip/signatories-heading", [HEADINGS[lang]], fuzzy=False)]
        result = apply_changes(cfg.catalog(lang), changes(lang) + extra)
        assert not result.missing, result.missing
        set_last_translator(cfg.catalog(lang))  # who approved (issue 10's attribution)
    if approve_countries:
        for (lang, cc), text in OF.items():
            approve(cfg, lang, {cc: {"of": text}})
    return root
