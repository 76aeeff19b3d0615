"""First guesses for country phrases per language, used only to **seed** fuzzy drafts.

Nothing here reaches a letter unreviewed: :mod:`.countries` writes these guesses as fuzzy
entries of the ``countries`` catalogue and the export gate refuses them until a translator
has approved (or corrected) the ones the recipients use. The rules are the mechanical parts
translators would otherwise type 193 times: the English and Romance articles and their
contraction with the preposition ("de" + "le" -> "du", "a" + "o" -> "ao"), and the Arabic
li- prefix fused with the article (ل + ال -> لل). Case endings (Russian, Polish, German
genitive and dative) are left to the translator: the draft is the nominative.
"""

from __future__ import annotations

_VOWELS = tuple("AEIOUYÂÉÈÊÎÏÔÛaeiouyâéèêîïôû" + "Hh")

_EN_THE = ("Republic", "Kingdom", "United", "Federal", "Federation", "Democratic", "Islamic",
           "State", "Principality", "Grand Duchy", "Sultanate", "Commonwealth", "Plurinational",
           "Bolivarian", "People's", "Union", "Independent", "Socialist", "Co-operative",
           "Hashemite", "Lao", "Arab", "Oriental", "Argentine", "Gabonese", "Czech", "Slovak",
           "Kyrgyz", "Dominican", "Central", "Russian", "Syrian", "Holy", "Swiss", "Italian",
           "Hellenic", "Portuguese", "French", "Togolese", "Lebanese")
_EN_PLURAL = ("Netherlands", "Philippines", "Bahamas", "Maldives", "Comoros", "Seychelles",
              "Solomon Islands", "Marshall Islands", "Gambia", "Sudan")

_FR_FEM = ("République", "Fédération", "Principauté", "Confédération", "Communauté",
           "Jamahiriya", "Grande-Bretagne")
_FR_MASC = ("Royaume", "Sultanat", "Grand-Duché", "Commonwealth", "État", "Émirat")
_FR_PLURAL = ("États-Unis", "Émirats", "Pays-Bas", "Îles", "Philippines", "Comores",
              "Maldives", "Seychelles", "Bahamas", "Fidji", "Samoa")
_FR_MASC_E = ("Mexique", "Cambodge", "Mozambique", "Zimbabwe", "Belize", "Suriname",
              "Bangladesh", "Libéria")
_FR_BARE = ("Cuba", "Madagascar", "Malte", "Chypre", "Haïti", "Israël", "Singapour", "Monaco",
            "Bahreïn", "Oman", "Nauru", "Tuvalu", "Kiribati", "Vanuatu", "Sainte-", "Saint-",
            "Trinité", "Maurice", "Sao Tomé", "Antigua", "Djibouti", "Brunéi", "Palaos",
            "Tonga", "Grenade", "Dominique", "Andorre", "Bahreïn")

_ES_FEM = ("República", "Federación", "Confederación", "Mancomunidad")
_ES_MASC = ("Reino", "Estado", "Principado", "Sultanato", "Gran Ducado")
_ES_PLURAL = ("Estados", "Emiratos", "Países", "Islas")

_PT_FEM = ("República", "Federação", "Confederação", "Comunidade", "Índia", "Rússia", "China",
           "França", "Alemanha", "Itália", "Espanha", "Polónia", "Polônia", "Argentina",
           "Arábia", "Coreia", "Nigéria", "Noruega", "Suécia", "Suíça", "Grécia", "Bélgica",
           "Áustria", "Austrália", "Irlanda", "Hungria", "Turquia", "Ucrânia", "Venezuela",
           "Colômbia", "Bolívia", "Etiópia", "Tunísia", "Argélia", "Líbia", "Indonésia",
           "Malásia", "Tailândia", "Síria", "Jordânia", "Finlândia", "Dinamarca")
_PT_MASC = ("Reino", "Estado", "Principado", "Sultanato", "Grão-Ducado", "Brasil", "Canadá",
            "Japão", "México", "Egito", "Egipto", "Peru", "Chile", "Uruguai", "Paraguai",
            "Equador", "Iraque", "Irão", "Irã", "Líbano", "Paquistão", "Vietname", "Vietnã",
            "Afeganistão", "Senegal", "Quénia", "Quênia", "Sudão", "Chade", "Níger", "Mali",
            "Gana", "Catar", "Kuwait", "Bahrein", "Omã", "Iémen", "Iêmen", "Camboja", "Laos",
            "Nepal", "Butão", "Sri Lanka", "Bangladexe", "Luxemburgo")
_PT_PLURAL = ("Estados", "Emirados", "Países")


def phrase(language: str, form: str, formal: str, short: str) -> str:
    """The seeded phrase for slot *form* (name / of / to) from the *formal* and *short*
    names of a country in *language*."""
    lang = language.split("_")[0]
    name = _WITH_ARTICLE.get(lang, lambda f, s: f)(formal, short)
    if form == "name":
        return name
    rule = _PHRASES.get(lang)
    return rule(form, name) if rule else name


def _en_article(formal: str, short: str) -> str:
    if formal.startswith(("the ", "The ")):
        return formal
    if formal.startswith(_EN_THE) or formal.startswith(_EN_PLURAL) or " of " in formal:
        return f"the {formal}"
    return formal


def _fr_article(formal: str, short: str) -> str:
    first = formal.split(" ")[0]
    if formal.startswith(_FR_PLURAL):
        return f"les {formal}"
    if formal.startswith(_FR_BARE):
        return formal
    if first.startswith(_VOWELS[:-2]) or first.startswith(("É", "Î")):
        return f"l\u2019{formal}"
    if formal.startswith(_FR_FEM):
        return f"la {formal}"
    if formal.startswith(_FR_MASC):
        return f"le {formal}"
    if first.endswith("e") and first not in _FR_MASC_E:
        return f"la {formal}"
    return f"le {formal}"


def _es_article(formal: str, short: str) -> str:
    if formal.startswith(_ES_PLURAL):
        return f"los {formal}"
    if formal.startswith(_ES_FEM):
        return f"la {formal}"
    if formal.startswith(_ES_MASC):
        return f"el {formal}"
    return formal


def _pt_article(formal: str, short: str) -> str:
    if formal.startswith(_PT_PLURAL):
        return f"os {formal}"
    if formal.startswith(_PT_FEM):
        return f"a {formal}"
    if formal.startswith(_PT_MASC):
        return f"o {formal}"
    return formal


def _en_phrase(form: str, name: str) -> str:
    return f"{'of' if form == 'of' else 'to'} {name}"


def _fr_phrase(form: str, name: str) -> str:
    prep = "de" if form == "of" else "à"
    for article, fused in (("le ", {"de": "du ", "à": "au "}),
                           ("les ", {"de": "des ", "à": "aux "})):
        if name.startswith(article):
            return fused[prep] + name[len(article):]
    if prep == "de" and name.startswith(_VOWELS[:-2]) and not name.startswith("l\u2019"):
        return f"d\u2019{name}"
    return f"{prep} {name}"


def _es_phrase(form: str, name: str) -> str:
    prep = "de" if form == "of" else "a"
    if name.startswith("el "):
        return ("del " if prep == "de" else "al ") + name[3:]
    return f"{prep} {name}"


def _pt_phrase(form: str, name: str) -> str:
    table = {"of": {"o ": "do ", "a ": "da ", "os ": "dos ", "as ": "das "},
             "to": {"o ": "ao ", "a ": "à ", "os ": "aos ", "as ": "às "}}[form]
    for article, fused in table.items():
        if name.startswith(article):
            return fused + name[len(article):]
    return ("de " if form == "of" else "a ") + name


def _ar_phrase(form: str, name: str) -> str:
    if form == "to":
        return f"إلى {name}"
    if name.startswith("ال"):
        return "لل" + name[2:]  # li- + al- -> lil- (the alif of the article is dropped)
    return "ل" + name


_WITH_ARTICLE = {"en": _en_article, "fr": _fr_article, "es": _es_article, "pt": _pt_article,
                 "gl": _pt_article}
_PHRASES = {"en": _en_phrase, "fr": _fr_phrase, "es": _es_phrase, "pt": _pt_phrase,
            "ar": _ar_phrase}
