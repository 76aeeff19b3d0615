"""Frequent function words per language: a cheap first opinion before the lingua detector.

Counting a language's articles, prepositions, pronouns and conjunctions is the classic
stop-word language identifier. :func:`verdict` only answers when the evidence is plain
(the catalogue's language clearly ahead, or clearly absent while another language is
clearly present); anything closer goes to lingua.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from workflow.checks.words import split_words

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and of to in is that for it with as was on are be by this we our you your they "
        "were have has not from which at an or who us its their them these those there been "
        "had would will can could should may must also but if than then so such what when "
        "where why how all any some no more most other into about over after before because "
        "while both each very only do does did am i he she his her him my me being".split()
    ),
    "fr": frozenset(
        "le la les des du de et est une un dans pour que qui sur par pas au aux ce cette nous "
        "vous ils sont avec ne leur ont été en il elle se sa son ses leurs notre nos votre "
        "vos mais ou où donc car comme plus tout tous toute toutes aussi être avoir avons "
        "êtes était étaient sans sous entre depuis vers chez très déjà encore lui eux celui "
        "celle ceux dont quand si je on y l d qu n s c j".split()
    ),
    "es": frozenset(
        "el la los las de del y en que un una por para con es se no al lo su sus nos fue como "
        "más este esta hemos nosotros nuestro nuestra nuestros nuestras vuestro vuestra usted "
        "ustedes ellos ellas él le les pero o porque cuando donde muy también ya sin sobre "
        "entre hasta desde todo todos toda todas esto estos estas ese esa eso han ha había "
        "son está están ser estar fueron era eran mi mis tu yo quien quienes cual cuales hay "
        "aquí así sido".split()
    ),
    "de": frozenset(
        "der die das und ist nicht ein eine zu den dem des mit von für auf sich wir sie es im "
        "auch wurden haben uns unsere unser unserer ich du er ihr ihre ihren ihrem ihnen sein "
        "seine sind war waren wird werden wurde hat hatte hatten einen einem einer eines aus "
        "bei nach über unter vor durch gegen ohne um oder aber wenn weil dass als wie so noch "
        "nur schon sehr dieser diese dieses diesen diesem alle allen kein keine man am zum "
        "zur ins vom".split()
    ),
    "pt": frozenset(
        "o a os as de do da dos das e em que um uma para com não por se ao na no nos foi como "
        "mais nós nosso nossa nossos nossas vosso vossa você vocês eles elas ele ela lhe lhes "
        "mas ou porque quando onde muito também já sem sobre entre até desde todo todos toda "
        "todas isto isso este esta estes estas esse essa são é está estão ser estar foram era "
        "eram meu minha seu sua seus suas pelo pela pelos pelas num numa às aos há aqui assim "
        "sido".split()
    ),
    "it": frozenset(
        "il lo la gli le di del della dei e che un una per con non è sono in al nel alla ci "
        "noi siamo stati degli delle dello dal dalla dai dalle nei nella nelle sul sulla sui "
        "ai agli alle anche ma o perché quando dove molto già senza tra fra tutto tutti tutta "
        "tutte questo questa questi queste quello quella loro nostro nostra nostri nostre "
        "vostro vostra io tu lui lei voi essi sia era erano essere avere ha hanno abbiamo "
        "stato stata come più così qui uno ed si".split()
    ),
    "nl": frozenset(
        "de het een en van in is dat op te zijn voor met niet die wij we ons onze door aan er "
        "werden hebben ik jij je hij zij ze u uw hun haar was waren wordt worden werd heeft "
        "had hadden om uit bij naar over onder tegen zonder of maar als dan omdat wanneer ook "
        "nog al alle deze dit wat wie waar hoe geen veel zeer meer na tot".split()
    ),
    "pl": frozenset(
        "i w na z się nie do że jest to o jak po przez dla od nas nasze my są był byli oraz "
        "który nasz nasza naszych naszym naszej ja ty on ona ono oni one wy mnie mi go jego "
        "jej ich im je ale lub czy gdy kiedy gdzie bardzo już bez pod nad przed między przy "
        "także też tylko ten ta te tego tej tych tym być było była były będzie może jako za "
        "ze we co".split()
    ),
    "ca": frozenset(
        "el la els les de del i en que un una per amb és no al als va som hem nosaltres seus "
        "aquesta nostre nostra nostres vostre vostra vosaltres ells elles ell ella li però o "
        "perquè quan on molt també ja sense sobre entre fins des tot tots tota totes això "
        "aquest aquests aquestes aquell aquella són està estan ser estar van era eren meu "
        "meva seu seva seves pels pel hi ha han havia aquí així estat".split()
    ),
    "gl": frozenset(
        "o a os as de do da dos das e en que un unha para con non por se ao na no nos foi "
        "como nós noso nosa nosos nosas voso vosa vostede eles elas el ela lle lles pero ou "
        "porque cando onde moi tamén xa sen sobre entre ata desde todo todos toda todas isto "
        "iso este esta estes estas ese esa son é está están ser estar foron era eran meu miña "
        "seu súa seus súas polo pola polos polas nun nunha ás aos hai aquí así sido".split()
    ),
    # Shorter lists for the other languages a coalition may configure: enough for the
    # "no function word at all" test (:func:`not_a_leftover`) and for plain cases.
    "sv": frozenset(
        "och i att det som en på är av för med till den har de inte om ett men var jag sig så "
        "vi kan man när från ska vid eller efter också hon han dem detta denna dessa vår våra "
        "vårt er ert era deras mot under över utan mellan".split()
    ),
    "da": frozenset(
        "og i at det er en til på de med for af den som ikke har et men var jeg sig så vi kan "
        "man når fra skal ved eller efter også hun han dem dette denne disse vores jeres deres "
        "mod under over uden mellem".split()
    ),
    "nb": frozenset(
        "og i det er som en til på de med for av den ikke har et men var jeg seg så vi kan man "
        "når fra skal ved eller etter også hun han dem dette denne disse vår våre vårt deres "
        "mot under over uten mellom".split()
    ),
    "fi": frozenset(
        "ja on ei että se hän me te he olla oli ovat ole tai mutta kuin myös jo niin kun jos "
        "tämä tuo nämä ne mitä joka jotka minä sinä meidän teidän heidän hänen sen niiden "
        "vain sekä".split()
    ),
    "cs": frozenset(
        "a v na se je že to s z do o k i jako pro po ale by jsou byl byla bylo jsme jste není "
        "nebo který která které jeho její jejich my vy oni ten ta tento tato toto když už jen "
        "také podle při".split()
    ),
    "sk": frozenset(
        "a v na sa je že to s z do o k i ako pre po ale by sú bol bola bolo sme ste nie alebo "
        "ktorý ktorá ktoré jeho jej ich my vy oni ten tá tento táto toto keď už len tiež "
        "podľa pri".split()
    ),
    "hu": frozenset(
        "a az és hogy nem is egy ez van volt mint de meg már csak még vagy ha el ki be fel le "
        "mi ők ő azt ezt aki amely ami minden sem szerint között után alatt".split()
    ),
    "ro": frozenset(
        "și în de la a cu pe că nu o un este sunt au fost din pentru care ce mai sau dar ca "
        "acest această aceste noi voi ei ele lui lor al ale se prin după despre între până"
        .split()
    ),
    "tr": frozenset(
        "ve bir bu da de için ile olarak olan gibi daha çok ama ya veya ne her biz siz onlar "
        "o şu ki mi değil var yok kadar sonra önce göre üzerinde tarafından".split()
    ),
    "hr": frozenset(
        "i u je na se da za su od s sa o a ne ili ali što koji koja koje kao biti bio bila "
        "bilo smo ste mi vi oni njihov naš vaš taj ta to ovaj ova ovo kad već samo također "
        "prema pri".split()
    ),
    "sl": frozenset(
        "in v je na se da za so od s z o a ne ali pa ki kot biti bil bila bilo smo ste mi vi "
        "oni njihov naš vaš ta to ko že samo tudi pri po iz".split()
    ),
    "lt": frozenset(
        "ir į yra kad su iš ne bet ar tai jis ji jie mes jūs aš tu kaip o per prie apie nuo "
        "iki po už dėl buvo bus savo mūsų jūsų jų kuris kuri kurie taip pat tik".split()
    ),
    "lv": frozenset(
        "un ir ka ar no uz par ne bet vai tas tā tie mēs jūs es tu kā arī pie pēc līdz bez jo "
        "bija būs savu mūsu jūsu viņu kas kuri kura tikai".split()
    ),
    "ru": frozenset(
        "и в не на что с по это как а к из у же за от для но о так мы вы они он она оно его "
        "её их наш ваш был была были быть есть или ли бы если когда только также этот эта "
        "эти того тем при после".split()
    ),
    "uk": frozenset(
        "і й в у не на що з по це як а до із від для але о так ми ви вони він вона воно його "
        "її їх наш ваш був була були бути є або чи би якщо коли тільки також цей ця ці при "
        "після".split()
    ),
    "bg": frozenset(
        "и в не на че с по това как а към от за но о така ние вие те той тя то наш ваш беше "
        "бяха е са или ли би ако когато само също този тази тези при след да се".split()
    ),
    "el": frozenset(
        "και το η ο να τα των της του σε με για από που δεν είναι θα οι τους στο στη στην "
        "στα ως μια ένα ένας αλλά ή αν όταν μας σας τον την".split()
    ),
}

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
#: Exclusive hits needed before an opinion counts (the share rule below needs fewer).
MIN_HITS = 3
MIN_HITS_WITH_SHARE = 2
#: Share of a text's words that must be function words of a language before the text can
#: be called that language (real prose: 30-50%; a list of names: close to 0).
MIN_RATIO = 0.2
#: The winner's share of function words must beat every other candidate's by this margin.
MARGIN = 0.1


@lru_cache(maxsize=256)
def _listed(candidates: tuple[str, ...], target: str) -> tuple[str, ...]:
    return tuple(sorted({c for c in candidates if c in FUNCTION_WORDS} | {target}))


@lru_cache(maxsize=256)
def _owners(languages: tuple[str, ...]) -> dict[str, str]:
    """Function word -> the one language among *languages* that uses it (shared words out)."""
    seen: dict[str, set[str]] = {}
    for lang in languages:
        for word in FUNCTION_WORDS.get(lang, ()):
            seen.setdefault(word, set()).add(lang)
    return {w: next(iter(ls)) for w, ls in seen.items() if len(ls) == 1}


@lru_cache(maxsize=256)
def _index(languages: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Function word -> every language among *languages* whose list has it."""
    seen: dict[str, list[str]] = {}
    for lang in languages:
        for word in FUNCTION_WORDS.get(lang, ()):
            seen.setdefault(word, []).append(lang)
    return {w: tuple(ls) for w, ls in seen.items()}


def _tally(words: list[str], langs: tuple[str, ...]) -> tuple[dict[str, int], dict[str, int]]:
    """(function words per language, exclusive function words per language); *words* may be
    only the function words among a text's words (the others count for nothing)."""
    index, owners = _index(langs), _owners(langs)
    shares: dict[str, int] = dict.fromkeys(langs, 0)
    exclusive: dict[str, int] = dict.fromkeys(langs, 0)
    for w, k in Counter(filter(index.__contains__, words)).items():
        for lang in index[w]:
            shares[lang] += k
        owner = owners.get(w)
        if owner is not None:
            exclusive[owner] += k
    return shares, exclusive


def words_of(text: str) -> list[str]:
    """The lower-case words of *text*, as the function-word tests read them:
    ``_WORD_RE.findall(text.lower())``, faster (:func:`workflow.checks.words.split_words`)."""
    return split_words(text.lower(), _WORD_RE.findall)


def verdict(
    text: str, target: str, candidates: tuple[str, ...], words: list[str] | None = None
) -> tuple[str, str] | None:
    """("ok", target) if the text is plainly *target*, ("wrong", lang) if plainly another
    language, None if lingua should decide.

    Two measures per candidate language with a list: the share of the text's words that
    are its function words (shared ones included), and the count of words exclusive to it
    among the candidates (Spanish "los", not "de", which Portuguese, Catalan and French
    share). A language wins when its share is at least :data:`MIN_RATIO`, beats every
    other candidate's share by :data:`MARGIN`, and its exclusive words are at least
    :data:`MIN_HITS_WITH_SHARE` and three times any other's. Anything closer goes to lingua.
    """
    if target not in FUNCTION_WORDS:
        return None
    langs = _listed(candidates, target)
    if words is None:
        words = words_of(text)
    if not words:
        return None
    hits = list(filter(_index(langs).__contains__, words))
    if not hits or len(hits) < min(MIN_HITS_WITH_SHARE, MIN_HITS):
        return None  # too few function words: no rule below can be met
    shares, exclusive = _tally(hits, langs)
    ranked = sorted(langs, key=lambda lang: (-shares[lang], -exclusive[lang]))
    best = ranked[0]
    if best != target and shares[target] == shares[best]:
        best = target  # a tie is never evidence against the catalogue's language
    runner_up = max((shares[lang] for lang in langs if lang != best), default=0)
    excl_other = max((exclusive[lang] for lang in langs if lang != best), default=0)
    n = len(words)
    plain = (
        shares[best] >= MIN_RATIO * n
        and shares[best] - runner_up >= MARGIN * n
        and exclusive[best] >= MIN_HITS_WITH_SHARE
        and exclusive[best] >= 3 * excl_other
    )
    if plain:
        return ("ok", target) if best == target else ("wrong", best)
    # the earlier rule, for texts too short for shares: plainly the target, or plainly
    # another language with none of the target's function words at all
    mine = exclusive[target]
    others = {lang: exclusive[lang] for lang in langs if lang != target}
    rival = max(others, key=others.__getitem__, default="")
    other = others.get(rival, 0)
    if mine >= MIN_HITS and other * 3 <= mine:
        return ("ok", target)
    if other >= MIN_HITS and shares[target] == 0:
        return ("wrong", rival)
    return None


#: Below this share of function words a text is not prose (see :data:`MIN_RATIO`).
MAX_FUNCTION_SHARE = 0.1
#: At most this share of a text's words may come from its own source text for the text to
#: count as "not a leftover copy" (names and numbers a translation keeps are shared).
MAX_SOURCE_SHARE = 0.25


def not_a_leftover(
    text: str,
    source: str,
    target: str,
    candidates: tuple[str, ...],
    source_language: str,
    words: list[str] | None = None,
) -> bool:
    """Whether *text* plainly is neither source-language text left in nor prose of another
    candidate language: fewer than :data:`MAX_FUNCTION_SHARE` of its words are function
    words of these languages (prose of any of them has 30-50%; a list of names, keywords
    or a heading close to none) and at most :data:`MAX_SOURCE_SHARE` of its words occur in
    its own *source*. Every candidate language, the source language's included, must have
    a list: without one, the absence of its function words says nothing.
    """
    langs = _all_listed(candidates, source_language, target)
    if langs is None:
        return False
    if words is None:
        words = words_of(text)
    if not words:
        return False
    hits = sum(map(_index(langs).__contains__, words))
    if hits and hits >= MAX_FUNCTION_SHARE * len(words):
        return False
    shared = sum(map(_source_words(source).__contains__, words))
    return shared <= MAX_SOURCE_SHARE * len(words)


@lru_cache(maxsize=256)
def _all_listed(
    candidates: tuple[str, ...], source_language: str, target: str
) -> tuple[str, ...] | None:
    """The languages sorted, or None if one of them has no function-word list."""
    langs = {*candidates, source_language, target}
    if any(lang not in FUNCTION_WORDS for lang in langs):
        return None
    return tuple(sorted(langs))


@lru_cache(maxsize=65536)  # the same sources in every catalogue a worker reads
def _source_words(source: str) -> frozenset[str]:
    return frozenset(_WORD_RE.findall(source.lower()))
