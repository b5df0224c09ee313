"""From tagged spans to Mention records: MONEY/DATE rules, person titles and organisations,
and in-article alias resolution (중기부 -> 중소벤처기업부, 문 대통령 -> 문재인)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import cache
from itertools import accumulate, compress

from transforms.entities.entity_forms import EntityForms
from transforms.entities.features import (
    HANGUL_SYLLABLE,
    SURNAMES,
    TokenColumns,
    TokenLike,
    is_surname_word,
    token_columns,
)
from transforms.entities.gazetteer import Gazetteer
from transforms.entities.normalize import find_dates, find_money
from transforms.entities.subtoken import ends_in_vowel, trim_to_entity
from transforms.records import Mention

KIND_TO_TYPE = {"PS": "PERSON", "OG": "ORG", "LC": "LOC"}
TYPE_TO_KIND = {value: key for key, value in KIND_TO_TYPE.items()}
# Syllables Kiwi reads as a particle at the end of a name: 손정의 -> 손정 + 의 (JKG).
_PARTICLE_ENDINGS = frozenset("의가는")
# Particles written after a name (what a name's word may end with that is not the name).
_PARTICLE_WORDS = frozenset((*"이가은는을를의와과도에로만", "에서", "으로", "에게", "까지", "부터"))
# Syllables that end a name's word as a particle or a suffix, not as the name's last syllable (김철|씨, 윤서|는).
_NOT_NAME_ENDINGS = frozenset("은는이가을를의와과도만에로씨측님께군양들")
# Set on a surname + title reference (윤 대표) that no full name in the document resolves: it stays a
# mention, but names no entity of its own.
UNRESOLVED = "unresolved"
# Head nouns that make the word before them a kind of thing: 유니콘 기업, 블록체인 기술, 메타버스 플랫폼.
KIND_HEADS = ("기업", "업체", "스타트업", "기술", "산업", "시장", "분야", "플랫폼", "생태계", "서비스")
# Nouns that, written onto a place's name, make a place with a name of its own (중부내륙 + 고속도로, 부산 + 항).
# In the KLUE training split each of them glued onto a place is inside the place's span every time (5-129 cases
# each, 산 129 of 132); 시장, 지역 and 로 are left out (outside as often as inside).
PLACE_HEADS = frozenset(
    ("역", "고속도로", "터널", "공원", "분기점", "나들목", "해안", "공항", "항", "대교", "광장", "거리", "길", "병원")
    + ("호텔", "빌딩", "센터", "경기장", "성당", "강", "호수", "산")
)
# A country's own state body (일본 기상청, 이스라엘 통계청, 미국 국방부) is named by the country and the body together:
# KLUE's training split keeps such a pair as one organisation 130 times and splits it 9 times; so too a
# university or a unit ending in 대 (스위스 베른대, 미국 해병대: 12 whole, 4 split). A company or a paper after a
# country is split off about 3 times in 5 (일본 아사히신문, 미국 트위터; whole: 미국 CNN, 일본 롯데).
# (법원 and 당국 end in 원 and 국.)
_STATE_BODY_HEAD = re.compile(r"(?:청|부|처|국|원|위원회|의회|경찰|군|대|대학|대학교)$")
# Units written straight after a place's Chinese-character gloss: `이란(宜蘭)현`, `창샤(長沙)시`, `시산(西山)향`.
# KLUE's training split spans the name, gloss and unit (or place noun: `허핑춘(和平村)호텔`) as one place 13
# times and splits them 4 times (시마네(島根)현). 가 (a street, and a particle) is left out.
GLOSSED_PLACE_UNITS = frozenset(("성", "시", "현", "구", "향", "진", "촌", "주", "군", "읍", "면"))
# Public offices named by their place (`서울 강남경찰서`, `대구 남구청`, `수원지방법원`): the training split types
# a name ending in one of these an organisation 214 times and a place 14 times (파출소, a place as often as not,
# is left out).
OFFICE_HEADS = (
    "경찰서",
    "경찰청",
    "검찰청",
    "교육청",
    "구청",
    "군청",
    "시청",
    "도청",
    "법원",
    "지청",
    "소방서",
    "지구대",
)
# Nouns written onto a place that the place's name leaves out: `부산지역`, `뉴욕지사` (the training split: 지역
# after the place 24 times, inside it 4; 지사 5 and 0).
AREA_TAILS = frozenset(("지역", "지사"))
# What follows a person written as one letter (`A씨`, `B군`, `C양`).
_AFTER_ANONYMISED = frozenset("씨군양")
# "중소벤처기업부(중기부)": an alias defined in parentheses right after an organisation.
_PAREN_ALIAS = re.compile(r"\s?\(([^()]{1,15})\)")
# "세계보건기구(WHO)", "식품의약품안전처(식약처)": an abbreviation in parentheses right after an organisation
# names it too. KLUE's training split tags it so in 104 of 106 Latin cases and 20 of 28 one-word Hangul ones
# (7 of the other 8 are countries: a club's home). Anything else there (phone numbers, "이하 …") is not taken.
_PAREN_ABBREVIATION = re.compile(r"\(([A-Z][A-Za-z0-9&.\-]*(?: [A-Za-z0-9&.\-]+)*|[가-힣]{2,10})\)")
# `시진핑(習近平)`: the name again in Chinese characters; one character (`주(州)`) glosses a word, not a name.
_PAREN_HANJA = re.compile(r"\(([\u4e00-\u9fff]{2,8})\)")
# Current and former, written before a post after a name (`강석진 현 대표`, `이 전 대표`): also surnames.
_TENSE_OF_POST = frozenset("현전")
# What joins the names of a list: a middle dot, a comma, 와/과/및 and a space.
_LIST_JOINER = re.compile(r"·|, ?|(?:와|과|및) ")


_NAMED_TYPES = frozenset({"PERSON", "ORG", "LOC"})


# A title is Hangul or Latin letters (대표, CTO, 최고기술책임자): the longest one the word starts with is read.
_TITLE_WORD = re.compile("[가-힣A-Za-z]+")
_DIVISION = re.compile("[A-Z]{2,4}")


@cache
def _longest_title(titles: frozenset[str]) -> int:
    return max(map(len, titles), default=0)


def _title_after(text: str, end: int, titles: frozenset[str], max_gap: int = 1) -> tuple[str, int] | None:
    """The title word starting within `max_gap` spaces after `end`, longest first."""
    position = end
    while position < len(text) and position - end < max_gap and text[position] == " ":
        position += 1
    word = _TITLE_WORD.match(text, position)
    if word is None:
        return None
    letters = word.group()
    for size in range(min(len(letters), _longest_title(titles)), 0, -1):
        if letters[:size] in titles:
            return letters[:size], position + size
    # `DS부문장`, `MX사업부장`: a division's Latin name written onto the post is part of the title
    division = _DIVISION.match(letters)
    if division is not None and letters[division.end() :] in titles:
        return letters, word.end()
    return None


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in taken)


class _SpanIndex:
    """Spans sorted by start, with the furthest end up to each: a span overlaps one of them iff the furthest
    end among those starting before its end passes its start (two bisections instead of a scan)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.reach = list(accumulate((end for _, end in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect_left(self.starts, end)
        return before > 0 and self.reach[before - 1] > start


def build_mentions(
    text: str,
    tokens: Sequence[TokenLike] | TokenColumns,
    spans: list[tuple[int, int, str]],
    anchor: date | None,
    gazetteer: Gazetteer,
    entity_forms: EntityForms | None = None,
) -> list[Mention]:
    """Mentions in text order, with canonical names and person attributes filled in. `tokens`: Kiwi's tokens
    of `text`, or their columns (each token attribute read once)."""
    forms = entity_forms or EntityForms({})
    tokens = token_columns(tokens)
    mentions = _mentions_of_spans(text, tokens, spans, forms, gazetteer)
    mentions = _names_by_rules(text, tokens, mentions, forms, gazetteer)
    taken = [(mention.start, mention.end) for mention in mentions]
    mentions += _surname_title_mentions(text, tokens, mentions, taken, gazetteer)
    mentions += _full_names_of_references(text, tokens, mentions, forms, gazetteer)
    taken_spans = _SpanIndex((mention.start, mention.end) for mention in mentions)
    for start, end, value in find_money(text):
        if not taken_spans.overlaps(start, end):
            mentions.append(Mention(start, end, text[start:end], "MONEY", text[start:end], value))
    for start, end, value in find_dates(text, anchor):
        if not taken_spans.overlaps(start, end):
            mentions.append(Mention(start, end, text[start:end], "DATE", text[start:end], value))
    mentions.sort(key=lambda mention: mention.start)
    _resolve_organisations(text, mentions, gazetteer)
    _resolve_people(text, mentions, gazetteer)
    return mentions


def _mentions_of_spans(
    text: str, tokens: TokenColumns, spans: list[tuple[int, int, str]], forms: EntityForms, gazetteer: Gazetteer
) -> list[Mention]:
    """The tagger's spans as mentions, trimmed to the name, without the words that are no names, and run on
    through what KLUE spans with them (a word's start, a glued term, a place noun, a glossed unit)."""
    spans = trim_to_entity(
        text,
        tokens,
        spans,
        lambda form: form in gazetteer.countries or form in gazetteer.regions,
        lambda form, kind: _known_as(form, kind, forms, gazetteer),
    )
    mentions = [
        Mention(start, end, text[start:end], KIND_TO_TYPE[kind], text[start:end])
        for start, end, kind in spans
        if kind in KIND_TO_TYPE
    ]
    mentions = _drop_common_nouns(tokens, mentions, forms, gazetteer)
    mentions = _drop_verb_stems(tokens, mentions)
    mentions = _drop_surnames_of_common_words(tokens, mentions)
    mentions = _drop_quoted_products(text, mentions)
    mentions = _extend_to_word_start(text, mentions)
    mentions = _extend_onto_common_terms(text, tokens, mentions, gazetteer)
    mentions = _extend_onto_firm_kinds(text, mentions)
    mentions = _extend_through_place_heads(text, tokens, mentions)
    return _extend_through_glossed_units(text, tokens, mentions)


def _names_by_rules(
    text: str, tokens: TokenColumns, mentions: list[Mention], forms: EntityForms, gazetteer: Gazetteer
) -> list[Mention]:
    """The IT-news rules over the tagger's names: types, splits and joins, names it missed, and each name
    carried through the document."""
    # a post is no name (`최고기술책임자` read as 최 + a given name; KLUE tags no post as a name)
    mentions = [mention for mention in mentions if mention.surface not in gazetteer.titles]
    mentions = _offices_as_organisations(mentions)
    mentions = _listed_companies_as_organisations(mentions, gazetteer)
    mentions = _trim_glued_area_nouns(mentions)
    mentions = [_rejoin_split_name(text, mention, forms, gazetteer) for mention in mentions]
    mentions = _split_leading_country(tokens, mentions, forms, gazetteer)
    mentions = _split_address_from_body(mentions, gazetteer)
    mentions = _add_known_organisations(text, tokens, mentions, gazetteer)
    mentions = _add_firms_by_ending(text, tokens, mentions)
    _listed_people_as_organisations(text, mentions, forms, gazetteer)
    mentions = _described_companies(text, tokens, mentions)
    mentions = _split_person_organisation(text, mentions, forms, gazetteer)
    mentions = _drop_tense_of_post(text, mentions, gazetteer)
    _organisations_named_as_affiliations(text, mentions, gazetteer)
    mentions = _add_affiliations_between(text, tokens, mentions, gazetteer)
    mentions = _add_parenthesised_abbreviations(text, mentions, gazetteer)
    _people_before_affiliations(text, mentions, forms, gazetteer)
    mentions = _founded_organisations(text, tokens, mentions, forms, gazetteer)
    mentions = _companies_by_legal_form(text, tokens, mentions)
    _foreign_family_names_as_people(mentions)
    _person_or_organisation_by_majority(mentions)
    return _propagate_names(text, tokens, mentions)


# What only an organisation has, written after its name: a founder, a board, a shareholders' meeting (held:
# `위지웍스는 주주총회에서`); what was founded (`X를 창업한`).
_FIRM_CONTEXT_AFTER = (
    r"(?: ?(?:공동)?(?:창업자|창업주|설립자|창립자)| (?:이사회|주주총회)"
    r"|(?:은|는|이|가) (?:정기 |임시 )?(?:주주총회|이사회)에서|(?:을|를) (?:창업|설립|창립)한)"
)
_FIRM_CONTEXT = re.compile(_FIRM_CONTEXT_AFTER)
_BODY_OF_A_FIRM = re.compile(r"(?<![0-9A-Za-z가-힣&])([0-9A-Za-z가-힣&]{2,20}?)" + _FIRM_CONTEXT_AFTER)
# Their key words, found first by a plain scan (few texts have one): the patterns run only near them.
_FIRM_CONTEXT_WORD = re.compile("창업자|창업주|설립자|창립자|이사회|주주총회|창업한|설립한|창립한")


def _founded_organisations(
    text: str, tokens: TokenColumns, mentions: list[Mention], forms: EntityForms, gazetteer: Gazetteer
) -> list[Mention]:
    """`딥칩스 창업자인 조민석 대표`, `그린테크 이사회는`, `위지웍스는 주주총회에서`: what has a founder, a board or
    a shareholders' meeting, or was founded, is an organisation (KLUE's training split: 4 of 4 names before a
    founder), unless it is a person's name (`김범수 창업자`: shaped like a Korean full name or known as a
    person). A tagged person or place there is retyped; an untagged word holding a name is added."""
    anchors = [match.start() for match in _FIRM_CONTEXT_WORD.finditer(text)]
    if not anchors:
        return mentions
    for mention in mentions:
        if (
            mention.type in ("PERSON", "LOC")
            and _FIRM_CONTEXT.match(text, mention.end)
            and not _shaped_like_full_name(mention.surface)
            and not _known_as(mention.surface, "PS", forms, gazetteer)
        ):
            mention.type = "ORG"
    added: list[Mention] = []
    taken: _SpanIndex | None = None
    for anchor in anchors:
        # the word before the key word: its 20 characters and the particle and 정기/임시 between
        match = _BODY_OF_A_FIRM.search(text, max(0, anchor - 30), anchor + 8)
        if match is None:
            continue
        start, end = match.span(1)
        taken = taken or _SpanIndex((mention.start, mention.end) for mention in mentions)
        inside = range(bisect_left(tokens.starts, start), bisect_left(tokens.starts, end))
        if (
            taken.overlaps(start, end)
            or any(other.start == start for other in added)  # two key words near one name
            or _shaped_like_full_name(match.group(1))
            or not _holds_a_name(tokens, inside)
        ):
            continue
        added.append(Mention(start, end, match.group(1), "ORG", match.group(1)))
    return _with_replacements(mentions, added, set())


# `(주)세온테크와`, `㈜한울케미칼`: a company's legal form written before its name, then the name up to its particle
# (not the form written after a name: `경안레저산업(주) 남부터미널`).
_AFTER_LEGAL_FORM = re.compile(
    r"(?<![0-9A-Za-z가-힣])(?:\(주\)|㈜)\s?([0-9A-Za-z가-힣&]{2,20}?)(?=(?:은|는|이|가|을|를|에|와|과|의|로|도)?(?:[\s,.'\"’”)]|$))"
)


_LEGAL_FORM_BEFORE = re.compile(r"^(?:\(주\)|㈜)\s?")


def _companies_by_legal_form(text: str, tokens: TokenColumns, mentions: list[Mention]) -> list[Mention]:
    """A name after `(주)` / `㈜` (a joint-stock company) is an organisation: a person or place tagged there is
    retyped, an untagged word holding a name added."""
    if "(주)" not in text and "㈜" not in text:
        return mentions
    for mention in mentions:
        if _LEGAL_FORM_BEFORE.match(mention.surface):
            mention.type = "ORG"  # the tagger took the form in (`(주)세온테크`): the company
    at_span = {(mention.start, mention.end): mention for mention in mentions}
    taken = _SpanIndex(at_span)
    added: list[Mention] = []
    for match in _AFTER_LEGAL_FORM.finditer(text):
        start, end = match.span(1)
        tagged = at_span.get((start, end))
        if tagged is not None:
            tagged.type = "ORG"
            continue
        inside = range(bisect_left(tokens.starts, start), bisect_left(tokens.starts, end))
        if not taken.overlaps(start, end) and _holds_a_name(tokens, inside):
            added.append(Mention(start, end, match.group(1), "ORG", match.group(1)))
    return _with_replacements(mentions, added, set())


def _foreign_family_names_as_people(mentions: list[Mention]) -> None:
    """`샘 올트먼 CEO는 … 올트먼은`: a foreign person is referred to by the last word of the name, which the
    tagger, seeing it alone, may type an organisation or a place; it is the person (resolved to the full name
    with the other references)."""
    family_names = {
        mention.surface.rpartition(" ")[2]
        for mention in mentions
        if mention.type == "PERSON" and _foreign_full_name(mention.surface)
    }
    family_names = {name for name in family_names if len(name) >= 2}
    for mention in mentions:
        if mention.surface in family_names and mention.type in ("ORG", "LOC"):
            mention.type = "PERSON"


def _person_or_organisation_by_majority(mentions: list[Mention]) -> None:
    """`푸른칩스는` tagged a person in an article that names 푸른칩스 an organisation four times: a name tagged
    both a person and an organisation is the type most of its mentions have (a tie changes nothing). A place
    keeps its type: KLUE types a country a place and an organisation in one text by what it does."""
    counts: dict[str, list[int]] = {}
    for mention in mentions:
        if mention.type == "PERSON" or mention.type == "ORG":
            counts.setdefault(mention.surface, [0, 0])[mention.type == "ORG"] += 1
    for mention in mentions:
        people, organisations = counts.get(mention.surface, (0, 0))
        if people and organisations and people != organisations:
            mention.type = "ORG" if organisations > people else "PERSON"


# Last syllables of abbreviated bodies (공정위, 국토부, 조달청, 감사처): no Korean given name ends so.
_BODY_ABBREVIATION_ENDS = frozenset("위부청처")


def _people_before_affiliations(text: str, mentions: list[Mention], forms: EntityForms, gazetteer: Gazetteer) -> None:
    """`조지안 누리클라우드 대표`, `조지안 최고기술책임자`: a word shaped like a Korean full name that no lexicon
    types (`_only_a_person_name`), tagged a place before a post, or a place or an organisation before a name
    and a post, is the person, and that name the person's organisation. An organisation right before a post
    keeps its type (`신라젠 대표`), and so does an abbreviated body (`권익위`, `해수부`: ends in 위, 부, 청, 처)."""
    for index, mention in enumerate(mentions):
        if (
            mention.type not in ("LOC", "ORG")
            or mention.surface[-1] in _BODY_ABBREVIATION_ENDS
            or not _only_a_person_name(mention.surface, forms, gazetteer)
        ):
            continue
        previous = mentions[index - 1] if index else None
        if previous is not None and previous.type == "PERSON" and text[previous.end : mention.start] == " ":
            continue  # `한지우 오픈랩 대표`: after a person, the word is the affiliation
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        if (
            following is not None
            and following.type in _NAMED_TYPES
            and text[mention.end : following.start] == " "
            and _post_after(text, following.end, gazetteer)
        ):
            mention.type, following.type = "PERSON", "ORG"
        elif mention.type == "LOC" and _post_after(text, mention.end, gazetteer):
            mention.type = "PERSON"


def _post_after(text: str, end: int, gazetteer: Gazetteer) -> bool:
    """A post follows (씨 is a form of address, no post)."""
    title = _title_after(text, end, gazetteer.titles)
    return title is not None and title[0] != "씨"


def _propagate_names(text: str, tokens: TokenColumns, mentions: list[Mention]) -> list[Mention]:
    """`업스테이지는 …` untagged while `김성훈 업스테이지 대표` is an organisation: a name the document tags
    somewhere is that entity wherever else it stands as a whole word (its own tokens, nothing after it but a
    particle), so an article's lead sentence keeps its subject, and a name tagged short inside that word
    (`미르` of `미르반도체의`) gives way. A person is carried only as a full name (a surname and two syllables, or
    words with a space, not `최 원장`); a name tagged with two types is carried nowhere."""
    types: dict[str, Mention | None] = {}
    for mention in mentions:
        surface = mention.surface
        if mention.type not in _NAMED_TYPES or len(surface) < 2:
            continue
        if mention.type == "PERSON" and not (_shaped_like_full_name(surface) or _foreign_full_name(surface)):
            continue
        seen = types.get(surface, mention)
        types[surface] = mention if seen is not None and seen.type == mention.type else None
    if not types:
        return mentions
    mentions = sorted(mentions, key=lambda mention: mention.start)
    replaced: set[int] = set()
    starts, tags = tokens.starts, tokens.tags
    tagged_spans = _SpanIndex((mention.start, mention.end) for mention in mentions)
    tagged = set(tagged_spans.starts)  # most occurrences are mentions already
    # the mention at each start, with the start of the one after it
    following = {mention.start: nxt.start for mention, nxt in zip(mentions, mentions[1:], strict=False)}
    at_start = {mention.start: mention for mention in mentions}
    added: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for surface, model in types.items():
        if model is None:
            continue
        position = text.find(surface)
        while position >= 0:
            end = position + len(surface)
            # `미르` tagged in `미르반도체의` where the text names 미르반도체: the shorter mention gives way
            inside = at_start.get(position) if position in tagged and " " not in surface else None
            if position in tagged and (inside is None or inside.end >= end or following.get(position, end) < end):
                position = text.find(surface, end)
                continue
            if (
                (inside is not None or not tagged_spans.overlaps(position, end))
                and _stands_alone(text, starts, tags, position, end)
                and not _overlaps(position, end, taken)
            ):
                added.append(Mention(position, end, surface, model.type, model.canonical))
                taken.append((position, end))
                if inside is not None:
                    replaced.add(id(inside))
            position = text.find(surface, end)
    return _with_replacements(mentions, added, replaced)


def _foreign_full_name(surface: str) -> bool:
    """Words with a space, the first no lone surname (`리처드 웨일`, `샘 올트먼`, not `최 원장`)."""
    first, space, _ = surface.partition(" ")
    return bool(space) and (len(first) > 1 or first not in SURNAMES)


def _stands_alone(text: str, starts: list[int], tags: list[str], start: int, end: int) -> bool:
    """text[start:end] is a word of its own tokens, followed by nothing or a particle in its word."""
    if start > 0 and text[start - 1].isalnum():
        return False
    index = bisect_left(starts, start)
    if index == len(starts) or starts[index] != start:
        return False
    if end == len(text) or not text[end].isalnum():
        return True
    index = bisect_left(starts, end, index)
    return index < len(starts) and starts[index] == end and tags[index].startswith("J")


def _known_as(form: str, kind: str, forms: EntityForms, gazetteer: Gazetteer, name_lexicon: bool = True) -> bool:
    """The KLUE training forms or the hand-written gazetteers type `form` as `kind` (PS, OG or LC); for a person,
    also the name lexicon (a dictionary's 117k person names, many of them also words) unless `name_lexicon`
    is false."""
    entry = forms.entries.get(form.replace(" ", ""))
    if entry is not None and entry[0] == kind:
        return True
    if kind == "OG":
        return form in gazetteer.organisations
    if kind == "LC":
        return form in gazetteer.countries or form in gazetteer.regions
    return name_lexicon and "P" in gazetteer.name_kinds.get(form, "")


def _drop_common_nouns(
    tokens: TokenColumns, mentions: list[Mention], forms: EntityForms, gazetteer: Gazetteer
) -> list[Mention]:
    """A name that is one everyday word (유니콘, DNA) is not an entity: drop a mention that no lexicon types
    so when the hand-written list of everyday terms holds it (GPU, LLM, 온디바이스), or when it is one token
    Kiwi reads as a common noun (NNG) or a Latin word that the training text uses outside names (or names
    as another kind), or one after which a head noun makes it a kind of thing (유니콘 기업, which Kiwi reads
    as a proper noun)."""
    if not mentions:
        return mentions
    # Only tokens that start where a mention starts can be one: found by bisection (tokens are in text order).
    starts, ends, tags = tokens.starts, tokens.ends, tokens.tags
    by_span: dict[tuple[int, int], int] = {}
    for mention_start in sorted({mention.start for mention in mentions}):
        index = bisect_left(starts, mention_start)
        while index < len(starts) and starts[index] == mention_start:
            by_span[(mention_start, ends[index])] = index
            index += 1
    guessed = frozenset(tokens.guessed)
    kept: list[Mention] = []
    for mention in mentions:
        # a term of today's IT news the training text is too old to know (GPU, LLM, 온디바이스), of any type
        # and however Kiwi cut it
        # (`소버린`: the name lexicon lists it as a person's name too; only KLUE's text or the lists keep it)
        if mention.surface in gazetteer.common_terms and not _known_as(
            mention.surface, TYPE_TO_KIND[mention.type], forms, gazetteer, name_lexicon=False
        ):
            continue
        index = by_span.get((mention.start, mention.end))
        if index is not None and index not in guessed:
            tag = tags[index]
            following = index + 1 if index + 1 < len(starts) else None
            common = tag == "NNG" or (tag == "SL" and mention.type != "PERSON")
            kind_of = (
                tag == "NNP"
                and following is not None
                and starts[following] == mention.end + 1
                and tokens.forms[following] in KIND_HEADS
                and not gazetteer.name_kinds.get(mention.surface)
            )
            # a common noun the lexicon knows neither way (헌재, KBSN unseen in training) may be a name:
            # the tagger's word stands; one the training text uses as a word, or names otherwise, goes
            everyday = mention.surface in forms.plain or mention.surface in forms.entries
            if (kind_of or (common and everyday)) and not _known_as(
                mention.surface, TYPE_TO_KIND[mention.type], forms, gazetteer
            ):
                continue
        kept.append(mention)
    return kept


def _drop_verb_stems(tokens: TokenColumns, mentions: list[Mention]) -> list[Mention]:
    """`함양하고` (to cultivate) read as the county 함양: a noun that 하다/되다 turns into a verb there is no name.
    In the training split a noun written straight before a verb or adjective suffix is inside a name 10 times
    in 18,614."""
    if not mentions:
        return mentions
    starts, ends, tags = tokens.starts, tokens.ends, tokens.tags
    kept: list[Mention] = []
    for mention in mentions:
        index = bisect_left(starts, mention.end)
        if (
            mention.type in _NAMED_TYPES
            and 0 < index < len(starts)
            and starts[index] == mention.end
            and tags[index] in ("XSV", "XSA")
            and ends[index - 1] == mention.end
            and tags[index - 1] in ("NNG", "NNP")
        ):
            continue
        kept.append(mention)
    return kept if len(kept) != len(mentions) else mentions


def _drop_surnames_of_common_words(tokens: TokenColumns, mentions: list[Mention]) -> list[Mention]:
    """`전력 소모는` (consumption): the features split a surname word (김모, 박씨) into surname and ending
    whatever Kiwi's tag, and the tagger took 소 for an anonymised person. When Kiwi read the word as a common
    noun of its dictionary (소모, 부모, 추모, 모양), the syllable is a person only before an age or 씨
    (`이모(45)씨`): in the training split 10 times of 10 there, 1 of 234 elsewhere."""
    starts, ends, forms, tags = tokens.starts, tokens.ends, tokens.forms, tokens.tags
    kept: list[Mention] = []
    for mention in mentions:
        if mention.type == "PERSON" and mention.end - mention.start == 1:
            index = bisect_left(starts, mention.start)
            if (
                index < len(starts)
                and starts[index] == mention.start
                and ends[index] == mention.start + 2
                and tags[index] == "NNG"
                and is_surname_word(forms[index])
                and index not in tokens.guessed  # a word Kiwi knows; one it guessed (`'박군'으로`) may be a name
                and (index + 1 == len(forms) or forms[index + 1] not in ("(", "씨"))
            ):
                continue
        kept.append(mention)
    return kept if len(kept) != len(mentions) else mentions


# A product's kind before its quoted name: AI 에이전트 ‘카나(Kana)’, 스마트폰 '갤럭시S5', 앱 '노티파이'.
_PRODUCT_BEFORE_QUOTE = re.compile(
    r"(?:모델|에이전트|서비스|앱|애플리케이션|플랫폼|챗봇|브랜드|솔루션|제품|게임|칩|LLM|엔진|로봇|프로그램|기기|"
    r"단말기|스마트폰|폰|소프트웨어|어시스턴트|비서)\s?['‘\"“]$"
)
_QUOTE_CLOSE = re.compile(r"(?:\([^()]{1,20}\))?['’\"”]")


def _drop_quoted_products(text: str, mentions: list[Mention]) -> list[Mention]:
    """`AI 에이전트 ‘카나’`, `거대언어모델 '솔라'`: a quoted name right after the kind of product it is names the
    product, not a person or a place (KLUE's training split: 63 such names untagged, 4 organisations, no person),
    and so does the same name as a person or place elsewhere in the text (`카나는 …`). An organisation is kept."""
    if "'" not in text and "‘" not in text and '"' not in text and "“" not in text:
        return mentions
    products = {
        mention.surface
        for mention in mentions
        if mention.type in ("PERSON", "LOC")
        and _PRODUCT_BEFORE_QUOTE.search(text, max(0, mention.start - 12), mention.start)
        and _QUOTE_CLOSE.match(text, mention.end)
    }
    if not products:
        return mentions
    return [mention for mention in mentions if mention.type not in ("PERSON", "LOC") or mention.surface not in products]


def _extend_to_word_start(text: str, mentions: list[Mention]) -> list[Mention]:
    """`금련산 청소년수련원` tagged from `산`, `하와이주립대` from `주립대`: Kiwi cut the word and the tagger
    began the name at the cut. A name starting after two or more syllables of its own word starts with the
    word (KLUE's news text starts 19 of 22,136 names there); a name after one syllable (`남북한`, `친노무현`),
    a one-syllable name (`한미일`) and a person named by a letter (`회사원B씨`) are left alone."""
    result = mentions
    extended: list[tuple[int, int]] = []
    for position, mention in enumerate(mentions):
        if (
            mention.type not in _NAMED_TYPES
            or mention.start == 0
            or not HANGUL_SYLLABLE.match(text, mention.start - 1)
            # `한미일`: one-syllable names strung together stay apart
            or HANGUL_SYLLABLE.fullmatch(mention.surface)
            # `회사원B씨`: a letter before 씨/군/양 is a person named by the letter alone (511 of 511 in KLUE)
            or (len(mention.surface) == 1 and text[mention.end : mention.end + 1] in _AFTER_ANONYMISED)
        ):
            continue
        word_start = mention.start
        while word_start > 0 and HANGUL_SYLLABLE.match(text, word_start - 1):
            word_start -= 1
        if (mention.start - word_start < 2 and not _surname_before_given_name(text, mention, word_start)) or (
            word_start > 0 and not text[word_start - 1].isspace() and text[word_start - 1] not in "'\"‘“(["
        ):
            continue
        if result is mentions:
            result = mentions.copy()
        surface = text[word_start : mention.end]
        result[position] = Mention(word_start, mention.end, surface, mention.type, surface)
        extended.append((word_start, mention.end))
    if not extended:
        return mentions
    # a mention the longer name now covers (`금련` read as a person) goes; one that ran into its word
    # (`오도윤 한결` before `한결소프트`: the tagger read 한결 both ways) ends before it
    return _ending_before(_without_covered(result, extended), extended)


_GIVEN_NAME = re.compile("[가-힣]{2}")


def _surname_before_given_name(text: str, mention: Mention, word_start: int) -> bool:
    """`한하린` tagged from 하린: a two-syllable person after a lone surname syllable starting the word (KLUE's
    training split: a full name 5,660 times, the given name alone after its surname once)."""
    return (
        mention.type == "PERSON"
        and mention.start - word_start == 1
        and text[word_start] in SURNAMES
        and _GIVEN_NAME.fullmatch(mention.surface) is not None
    )


def _ending_before(mentions: list[Mention], lengthened: list[tuple[int, int]]) -> list[Mention]:
    """`mentions` with each one that runs into a lengthened name cut at the space before it (dropped when
    nothing is left)."""
    starts = sorted(start for start, _ in lengthened)
    result: list[Mention] = []
    for mention in mentions:
        found = bisect_right(starts, mention.start)
        if found == len(starts) or starts[found] >= mention.end:
            result.append(mention)
            continue
        # a lengthened name starts a word: what comes before it is whole words, then a space or a quote
        surface = mention.surface[: starts[found] - mention.start].rstrip(" '\"‘“([")
        if surface:
            result.append(Mention(mention.start, mention.start + len(surface), surface, mention.type, surface))
    return result


def _without_covered(mentions: list[Mention], lengthened: list[tuple[int, int]]) -> list[Mention]:
    """`mentions` less those inside one of the `lengthened` spans (the lengthened mentions themselves stay)."""
    return [
        m
        for m in mentions
        if not any(s <= m.start and m.end <= e and (s, e) != (m.start, m.end) for s, e in lengthened)
    ]


def _offices_as_organisations(mentions: list[Mention]) -> list[Mention]:
    """`부천 원미경찰서` tagged as a place: a public office is an organisation (`OFFICE_HEADS`)."""
    return _as_organisations(
        mentions, lambda m: m.type == "LOC" and len(m.surface) > 2 and m.surface.endswith(OFFICE_HEADS)
    )


def _listed_companies_as_organisations(mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """`네이버클라우드` tagged as a person: a name the hand-written company and institution lists hold is an
    organisation (the training split types such names a person 3 times in 3,713)."""
    return _as_organisations(mentions, lambda m: m.type == "PERSON" and m.surface in gazetteer.companies)


def _as_organisations(mentions: list[Mention], retyped: Callable[[Mention], bool]) -> list[Mention]:
    """`mentions` with those `retyped` picks made organisations (the input itself when it picks none)."""
    if not any(map(retyped, mentions)):
        return mentions
    return [Mention(m.start, m.end, m.surface, "ORG", m.canonical) if retyped(m) else m for m in mentions]


def _trim_glued_area_nouns(mentions: list[Mention]) -> list[Mention]:
    """`부산지역` tagged as one place (Kiwi reads it as one proper noun): the place is `부산`; `지역` written
    onto it is not part of its name."""
    result = mentions
    for position, mention in enumerate(mentions):
        surface = mention.surface
        if mention.type != "LOC" or len(surface) < 4 or surface[-2:] not in AREA_TAILS:
            continue
        if not HANGUL_SYLLABLE.match(surface, len(surface) - 3):
            continue
        result = result.copy() if result is mentions else result
        result[position] = Mention(mention.start, mention.end - 2, surface[:-2], "LOC", surface[:-2])
    return result


def _extend_onto_common_terms(
    text: str, tokens: TokenColumns, mentions: list[Mention], gazetteer: Gazetteer
) -> list[Mention]:
    """`네이버클라우드`, `도담엣지`: an organisation with an everyday IT term written straight onto it is one
    company (Kiwi reads the listed terms as common nouns, so it splits such names before the term), and so is
    a "person" word with one (the tagger reads the bare 도담 as a given name); in `권하린 도담엣지 대표` the
    person ends before that word."""
    starts, ends, forms = tokens.starts, tokens.ends, tokens.forms
    result: list[Mention] = []
    for position, mention in enumerate(mentions):
        index = bisect_left(starts, mention.end)
        end = ends[index] if index < len(starts) else mention.end
        if (
            mention.type not in ("ORG", "PERSON")
            or index == len(starts)
            or starts[index] != mention.end
            or not HANGUL_SYLLABLE.match(text, mention.end)
            or forms[index] not in gazetteer.common_terms
            or (position + 1 < len(mentions) and mentions[position + 1].start < end)
        ):
            result.append(mention)
            continue
        start = mention.start
        if mention.type == "PERSON" and " " in mention.surface:
            person_end = mention.start + mention.surface.rindex(" ")
            person = text[mention.start : person_end]
            result.append(Mention(mention.start, person_end, person, "PERSON", person))
            start = person_end + 1
        result.append(Mention(start, end, text[start:end], "ORG", text[start:end]))
    return result


# Latin abbreviations written after a firm's name as part of it: `IMM PE`, `스틱 PEF`, `삼성 VC`.
_FIRM_KIND_AFTER = re.compile(r" (?:PEF?|VC|AMC|CIC)(?![A-Za-z0-9\-])")


def _extend_onto_firm_kinds(text: str, mentions: list[Mention]) -> list[Mention]:
    """`IMM PE` tagged as IMM: an organisation runs on through a firm-kind abbreviation written after it."""
    result = mentions
    for position, mention in enumerate(mentions):
        kind = _FIRM_KIND_AFTER.match(text, mention.end) if mention.type == "ORG" else None
        if kind is None or (position + 1 < len(mentions) and mentions[position + 1].start < kind.end()):
            continue
        result = result.copy() if result is mentions else result
        surface = text[mention.start : kind.end()]
        result[position] = Mention(mention.start, kind.end(), surface, "ORG", surface)
    return result


def _extend_through_place_heads(text: str, tokens: TokenColumns, mentions: list[Mention]) -> list[Mention]:
    """`중부내륙고속도로`, `상주터널` tagged as the place alone: the place runs on through the nouns written onto
    it when the last of them is a `PLACE_HEADS` noun (KLUE's span for such a name)."""
    starts, ends, forms, tags = tokens.starts, tokens.ends, tokens.forms, tokens.tags
    result = mentions
    for position, mention in enumerate(mentions):
        # only a place with a syllable written straight after it can run on
        if mention.type != "LOC" or not HANGUL_SYLLABLE.match(text, mention.end):
            continue
        limit = mentions[position + 1].start if position + 1 < len(mentions) else len(text)
        index, glued_at, new_end = bisect_left(starts, mention.end), mention.end, None
        while (
            index < len(starts) and starts[index] == glued_at and tags[index] in ("NNG", "NNP") and ends[index] <= limit
        ):
            if forms[index] in PLACE_HEADS:
                new_end = ends[index]
            glued_at = ends[index]
            index += 1
        if new_end is not None:
            result = result.copy() if result is mentions else result
            surface = text[mention.start : new_end]
            result[position] = Mention(mention.start, new_end, surface, "LOC", surface)
    return result


def _extend_through_glossed_units(text: str, tokens: TokenColumns, mentions: list[Mention]) -> list[Mention]:
    """`이란(宜蘭)현` tagged as 이란 (and perhaps 宜蘭): one place runs through the gloss and the unit or place
    noun written straight after it; a mention of the gloss alone goes."""
    starts, ends, forms, tags = tokens.starts, tokens.ends, tokens.forms, tokens.tags
    result = mentions
    extended: list[tuple[int, int]] = []
    for position, mention in enumerate(mentions):
        gloss = _PAREN_HANJA.match(text, mention.end) if mention.type in _NAMED_TYPES else None
        if gloss is None:
            continue
        index = bisect_left(starts, gloss.end())
        if not (
            index < len(starts)
            and starts[index] == gloss.end()
            and tags[index] in ("NNG", "NNB", "NNP")
            and (forms[index] in GLOSSED_PLACE_UNITS or forms[index] in PLACE_HEADS)
        ):
            continue
        result = result.copy() if result is mentions else result
        surface = text[mention.start : ends[index]]
        result[position] = Mention(mention.start, ends[index], surface, "LOC", surface)
        extended.append((mention.start, ends[index]))
    if not extended:
        return mentions
    # the gloss's own mention (anything the longer place now covers) goes
    return _without_covered(result, extended)


def _rejoin_split_name(text: str, mention: Mention, forms: EntityForms, gazetteer: Gazetteer) -> Mention:
    """손정의 read as 손정 + 의: a two-syllable person right before 의/가/는 takes that syllable back when
    the three-syllable whole is a known person name and the two-syllable part is not one in KLUE. A
    two-syllable person whose word is one syllable longer, that syllable no particle (윤서|연 핀포인트 대표:
    Kiwi read 연 as a determiner), is the three-syllable name the word spells."""
    end = mention.end
    if (
        mention.type == "PERSON"
        and len(mention.surface) == 2
        and mention.surface[0] in SURNAMES
        and end < len(text)
        and text[end] not in _NOT_NAME_ENDINGS
        and HANGUL_SYLLABLE.match(text[end])
        and (end + 1 == len(text) or not text[end + 1].isalnum())
        and (mention.start == 0 or not text[mention.start - 1].isalnum())
    ):
        whole = mention.surface + text[end]
        return Mention(mention.start, end + 1, whole, "PERSON", whole)
    if (
        mention.type != "PERSON"
        or len(mention.surface) != 2
        or mention.surface[0] not in SURNAMES
        or end >= len(text)
        or text[end] not in _PARTICLE_ENDINGS
    ):
        return mention
    whole = mention.surface + text[end]
    if not _known_as(whole, "PS", forms, gazetteer):
        return mention
    short = forms.entries.get(mention.surface)
    if short is not None and short[0] == "PS" and short[1] == "hi":
        return mention
    return Mention(mention.start, end + 1, whole, "PERSON", whole)


def _add_known_organisations(
    text: str, tokens: TokenColumns, mentions: list[Mention], gazetteer: Gazetteer
) -> list[Mention]:
    """`네이버 최수연 대표`, `쏘카 대표`: a proper-noun token the hand-written gazetteers name as a company,
    institution or ministry is an organisation where it states a person's affiliation (a person or a
    title right after it) or stands in a list beside an organisation, even when the tagger missed it.
    Elsewhere the tagger decides: 유튜브 in `유튜브 채널` is a medium, not an organisation, in KLUE's
    convention."""
    forms, tags = tokens.forms, tokens.tags
    # a known name's token has that name as its form (the text's slice is checked below); the scan runs in C
    known = gazetteer.organisations.intersection(forms)
    if not known:
        return mentions
    named = [index for index in compress(range(len(forms)), map(known.__contains__, forms)) if tags[index] == "NNP"]
    if not named:
        return mentions
    taken = [(mention.start, mention.end) for mention in mentions]
    person_starts = {mention.start for mention in mentions if mention.type == "PERSON"}
    org_starts = {mention.start for mention in mentions if mention.type == "ORG"}
    # where a list's next name starts after an organisation (`네이버클라우드와 ` -> KT클라우드)
    joined = [_LIST_JOINER.match(text, mention.end) for mention in mentions if mention.type == "ORG"]
    after_organisation = {joiner.end() for joiner in joined if joiner}
    added = []
    starts, ends = tokens.starts, tokens.ends
    for index in named:
        start, end = starts[index], ends[index]
        if text[start:end] not in gazetteer.organisations:
            continue
        affiliation = end + 1 in person_starts or _title_after(text, end, gazetteer.titles)
        # `네이버클라우드와 KT클라우드`: listed beside an organisation, one of a list of organisations
        after = _LIST_JOINER.match(text, end)
        listed = (after is not None and after.end() in org_starts) or start in after_organisation
        if (affiliation or listed) and not _overlaps(start, end, taken):
            surface = text[start:end]
            added.append(Mention(start, end, surface, "ORG", surface))
    if not added:
        return mentions
    return sorted(mentions + added, key=lambda mention: mention.start)


# Nouns that say what kind of company the next word names: "보안 스타트업 시큐어렌즈", "게임사 드림픽셀" (the event
# rules read the same wording).
COMPANY_KINDS = (
    "스타트업",
    "게임사",
    "기획사",
    "제작사",
    "배급사",
    "유통사",
    "공급사",
    "기업",
    "업체",
    "벤처",
    "플랫폼",
    "회사",
    "운영사",
    "개발사",
    "제조사",
    "자회사",
    "계열사",
    "투자사",
    "벤처캐피털",
    "VC",
    "운용사",
    "액셀러레이터",
)
# The word after a kind of company, up to its particle: the company's name.
_AFTER_COMPANY_KIND = re.compile(
    rf"(?<![가-힣A-Za-z])(?:{'|'.join(COMPANY_KINDS)})\s(?:\(주\)|㈜)?['‘\"“]?([0-9A-Za-z가-힣&.\-]{{2,20}}?)['’\"”]?"
    r"(?=(?:\([^)]{1,20}\))?(?:은|는|이|가|을|를|에|에게|와|과|의|로|으로|도|로부터|으로부터)?(?:[\s,.]|$))"
)
# Where a kind stands before a space: found first (a plain scan), the whole pattern tried only there.
_COMPANY_KIND_SPACE = re.compile(rf"(?:{'|'.join(COMPANY_KINDS)})\s")
# Tags of a word that can be a name: a proper noun, a Latin word, a Chinese-character word.
_PROPER_TAGS = frozenset(("NNP", "SL", "SH"))


# Particles that follow only a final consonant (펫닥이, 펫닥을), and those that follow only a vowel (라온가).
_AFTER_CONSONANT = frozenset("이은을과")
_AFTER_VOWEL = frozenset("가는를와")


def _misread_particle(last: str, following: str) -> bool:
    """Whether a particle-like syllable after a name's `last` syllable cannot be that particle, by the sound it
    follows: it is then the name's own last syllable."""
    if not following or not HANGUL_SYLLABLE.match(last):
        return False
    vowel_final = ends_in_vowel(last)
    return (following in _AFTER_CONSONANT and vowel_final) or (following in _AFTER_VOWEL and not vowel_final)


def _described_companies(text: str, tokens: TokenColumns, mentions: list[Mention]) -> list[Mention]:
    """`모빌리티 스타트업 라이드온의`, `게임사 드림픽셀 창업자`: the word after a kind of company is a company. The
    tagger, trained on older general news, reads many such new names as people, or takes the kind in with the
    name; here a person or place that is no Korean name, or one holding the kind, gives way to the company.
    The word must hold a proper noun, a Latin word or a guessed token (`대표`, `업계` are no names)."""
    starts = tokens.starts
    replaced: set[int] = set()
    added: list[Mention] = []
    for candidate in _COMPANY_KIND_SPACE.finditer(text):
        match = _AFTER_COMPANY_KIND.match(text, candidate.start())
        if match is None:
            continue
        first, last = match.span(1)
        if _misread_particle(text[last - 1], text[last : last + 1]):
            last += 1  # `캐시웨이 신임 대표`: 이 after a vowel is no subject particle (`펫닥이` keeps it one)
        word = text[first:last]
        if word[0].isdigit():
            continue  # "기업 5곳에": a count
        if not _holds_a_name(tokens, range(bisect_left(starts, first), bisect_left(starts, last))):
            continue
        crossing = [m for m in mentions if m.start < last and first < m.end]
        if any(m.type == "ORG" for m in crossing):
            continue  # the tagger has an organisation there already
        kind_start = match.start()
        if any(
            not (first <= m.start and m.end <= last)  # a mention wider than the word ...
            and not (m.start == kind_start and m.end == last)  # ... other than the kind and the name
            or (m.type == "PERSON" and _shaped_like_full_name(m.surface))  # 스타트업 김철수: keep the person
            for m in crossing
        ):
            continue
        replaced.update(id(m) for m in crossing)
        added.append(Mention(first, last, word, "ORG", word))
    return _with_replacements(mentions, added, replaced)


def _with_replacements(mentions: list[Mention], added: list[Mention], replaced: set[int]) -> list[Mention]:
    """`mentions` without those whose id() is in `replaced`, plus `added`, in text order (`mentions` itself when
    nothing was added)."""
    if not added:
        return mentions
    kept = [mention for mention in mentions if id(mention) not in replaced]
    return sorted(kept + added, key=lambda mention: mention.start)


# Endings that make a word an investment firm or a holding company whatever its stem (신한벤처투자, KB인베스트먼트,
# 앵커에쿼티파트너스), then endings of tech companies (`퓨리오사AI`, `스캐터랩`, `레인보우로보틱스`), whose stem
# must be a proper noun, a Latin word or a word Kiwi guessed (생성형AI, 신재생에너지 are no companies). The KLUE
# text, older than most such names, rarely shows one, so the tagger misses them in IT news, where they are the
# investors and the subjects of every deal.
_INVESTOR_ENDINGS = ("벤처투자", "창업투자", "기술투자", "인베스트먼트", "파트너스", "벤처스", "캐피탈", "자산운용")
_INVESTOR_ENDINGS += ("액셀러레이터", "홀딩스")
_TECH_ENDINGS = frozenset(
    ("AI", "랩", "랩스", "테크놀로지", "테크놀로지스", "로보틱스", "모빌리티", "헬스케어", "소프트", "게임즈")
    + ("스튜디오", "네트웍스", "시스템즈", "솔루션즈", "에너지", "엔터테인먼트")
)
# A flat alternation of literals, longest first: `re` then skips positions whose character starts none of them.
_FIRM_ENDING = re.compile(
    "(?:"
    + "|".join(sorted((*_INVESTOR_ENDINGS, *_TECH_ENDINGS), key=len, reverse=True))
    + r")(?=[가-힣]{0,4}(?:\s|$|[,.·)'\"’”]))"
)
_NOUN_TAGS = frozenset(("NNP", "NNG", "SL", "SN", "SH", "XPN", "XSN", "NR"))
_PUNCTUATION_TAGS = frozenset(("SF", "SP", "SS", "SSO", "SSC", "SE", "SO", "SW"))


def _add_firms_by_ending(text: str, tokens: TokenColumns, mentions: list[Mention]) -> list[Mention]:
    """A word of nouns ending like an investment firm (`신한벤처투자를`, `KB인베스트먼트와`) or a tech company
    (`퓨리오사AI는`) is an organisation: the word up to its particles, replacing any mention inside it (the
    tagger's `신한` place), unless a mention runs across the word's edge (a longer name the tagger read)."""
    if _FIRM_ENDING.search(text) is None:
        return mentions
    starts, ends, tags, bounds = tokens.starts, tokens.ends, tokens.tags, tokens.eojeols
    mentions = sorted(mentions, key=lambda mention: mention.start)
    added: list[Mention] = []
    inside: set[int] = set()
    for match in _FIRM_ENDING.finditer(text):
        token = bisect_left(ends, match.end())  # the token the ending closes
        if token >= len(starts):
            continue
        eojeol = bisect_right(bounds, token) - 1  # its eojeol: tokens bounds[eojeol] .. bounds[eojeol + 1] - 1
        first, last = bounds[eojeol], bounds[eojeol + 1] - 1
        while last > first and (tags[last].startswith("J") or tags[last] in _PUNCTUATION_TAGS):
            last -= 1  # the particles and the punctuation after the name
        word_start, word_end = starts[first], ends[last]
        if word_end != match.end() or match.start() == word_start:
            continue  # the ending is not the word's end (a particle-like token read otherwise), or has no stem
        # the stem must be nouns; the ending itself may be misread (벤처스 파트너: 벤처 + 스 as a verb)
        stem_end = bisect_left(starts, match.start(), first, last + 1)
        if not all(tag in _NOUN_TAGS for tag in tags[first:stem_end]):
            continue
        if match.group() in _TECH_ENDINGS and not _holds_a_name(tokens, range(first, stem_end)):
            continue
        crossing = _mentions_within_reach(mentions, word_start, word_end)
        if any(m.start < word_start or m.end > word_end for m in crossing):
            continue
        if any(m.type == "ORG" and m.start == word_start and m.end == word_end for m in crossing):
            continue
        inside.update(id(m) for m in crossing)
        surface = text[word_start:word_end]
        added.append(Mention(word_start, word_end, surface, "ORG", surface))
    return _with_replacements(mentions, added, inside)


def _mentions_within_reach(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    """The mentions (in text order, none inside another) that overlap start..end."""
    index = bisect_left(mentions, end, key=lambda mention: mention.start)
    found = []
    while index > 0 and mentions[index - 1].end > start:
        index -= 1
        found.append(mentions[index])
    return found


def _listed_people_as_organisations(
    text: str, mentions: list[Mention], forms: EntityForms, gazetteer: Gazetteer
) -> None:
    """`매쉬업엔젤스와 프라이머가`: a "person" listed right beside an organisation (와/과, a comma, a middle
    dot, 및) is one of a list of organisations, unless it is shaped like a Korean full name, KLUE or the
    gazetteers know it as a person (가희와 태국 대표팀), or a title follows."""
    for position, mention in enumerate(mentions):
        surface = mention.surface
        if mention.type != "PERSON" or " " in surface or _shaped_like_full_name(surface):
            continue
        if _known_as(surface, "PS", forms, gazetteer):
            continue
        before = mentions[position - 1] if position else None
        after = mentions[position + 1] if position + 1 < len(mentions) else None
        joined_before = before is not None and before.type == "ORG" and _joined(text, before.end, mention.start)
        joined_after = after is not None and after.type == "ORG" and _joined(text, mention.end, after.start)
        if (joined_before or joined_after) and not _title_after(text, mention.end, gazetteer.titles):
            mention.type = "ORG"


def _joined(text: str, end: int, start: int) -> bool:
    """A list joiner, and nothing else, runs from `end` to `start`."""
    joiner = _LIST_JOINER.match(text, end)
    return joiner is not None and joiner.end() == start


def _holds_a_name(tokens: TokenColumns, inside: range) -> bool:
    """A token of `inside` (token positions) is a proper noun, a Latin word or one Kiwi guessed (the guessed
    positions are in order: found by bisection, not by a scan of the list)."""
    if any(tokens.tags[index] in _PROPER_TAGS for index in inside):
        return True
    guessed = tokens.guessed
    found = bisect_left(guessed, inside.start)
    return found < len(guessed) and guessed[found] < inside.stop


def _split_leading_country(
    tokens: TokenColumns, mentions: list[Mention], forms: EntityForms, gazetteer: Gazetteer
) -> list[Mention]:
    """`일본 소프트뱅크` tagged as one organisation: the country is a place, the rest the organisation,
    when the rest is a proper noun that the lexicons know as an organisation. `일본 정부`, `중국 당국`,
    `북한 노동신문`, `일본 기상청` stay whole: there the country is part of what names the body."""
    if not any(
        mention.type == "ORG" and mention.surface.partition(" ")[0] in gazetteer.countries for mention in mentions
    ):
        return mentions
    tag_at = dict(zip(tokens.starts, tokens.tags, strict=True))
    result: list[Mention] = []
    for mention in mentions:
        country, space, rest = mention.surface.partition(" ")
        rest_start = mention.start + len(country) + len(space)
        if (
            mention.type == "ORG"
            and rest
            and country in gazetteer.countries
            and tag_at.get(rest_start) in ("NNP", "SL", "SH")
            and not _STATE_BODY_HEAD.search(rest)
            and _known_as(rest, "OG", forms, gazetteer)
        ):
            result.append(Mention(mention.start, mention.start + len(country), country, "LOC", country))
            result.append(Mention(rest_start, mention.end, rest, "ORG", rest))
        else:
            result.append(mention)
    return result


# Chains whose branch, named with its place, is a place itself (`대학로 CGV`, `명동 롯데백화점`: KLUE types the
# whole a place): cinemas, stores, malls, hotels.
_VENUE_CHAIN = re.compile(r"(?:CGV|메가박스|시네마|백화점|마트|몰|아울렛|월드|호텔|이마트|홈플러스|코엑스)$")

# A word that names a body by its head: a school or university, police, a court or prosecutors, a party, a
# company's legal form or group, a paper or broadcaster. Churches, halls and canteens end in 당 too; 일대, 시대
# are no bodies; a two-syllable `홍대` is as often the district as the university.
_BODY_HEAD = re.compile(
    r"(?:[가-힣]{2,}(?:대|대학|대학교|고|여고|고교|초등학교|중학교|고등학교|당|도당|시당)|[가-힣]*(?:경찰서|경찰청|"
    r"지방법원|지법|지검|법원|검찰청|교육청|위원회|그룹|신문|일보|방송)|AG|GmbH|Inc\.?|Corp\.?|Ltd\.?)$"
)
_NOT_BODY = re.compile(r"(?:성당|식당|회당|전당|강당|서당|본당|마당|일대|지대|무대|시대|세대|최대|역대|[0-9]대)$")
# A word of an address: a listed country or region, or an administrative unit (`수성구`, `효고현`, `칭하이성`);
# a neighbourhood or street (`서교동`, `통일로`) makes it a street address.
_ADDRESS_WORD = re.compile(r"[가-힣]{1,8}(?:특별시|광역시|시|도|군|구|주|성|현)")
_STREET_WORD = re.compile(r"[가-힣0-9]{1,8}(?:동|읍|면|리|가|로|길|지구)")


def _split_address_from_body(mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """A place whose last word names a body, `경기도 성남시 분당구 네이버` (a listed company), `파주 한민고`,
    `대구 수성구 새누리당 경북도당`: the address, then the body as an organisation (KLUE's training split: an
    address before such a body is a place and the body an organisation 56 times; the whole a place 11 times,
    nearly all full street addresses). A venue chain's branch stays one place."""
    result: list[Mention] = []
    for mention in mentions:
        words = mention.surface.split(" ")
        last = words[-1]
        if (
            mention.type != "LOC"
            or len(words) < 2
            or _VENUE_CHAIN.search(last)
            or not (last in gazetteer.companies or (_BODY_HEAD.search(last) and not _NOT_BODY.search(last)))
        ):
            result.append(mention)
            continue
        place = " ".join(words[:-1]) if last in gazetteer.companies else _short_address(words, gazetteer)
        if not place:
            result.append(mention)
            continue
        body = mention.surface[len(place) + 1 :]
        result.append(Mention(mention.start, mention.start + len(place), place, "LOC", place))
        result.append(Mention(mention.end - len(body), mention.end, body, "ORG", body))
    return result


def _short_address(words: list[str], gazetteer: Gazetteer) -> str:
    """The leading place words before a body (`대구 수성구`), or "" when there are none or they make a street
    address (three or more words, or a neighbourhood or street: `제주시 노형동 남녕고` is where something
    happened, one place)."""
    address_words = 0
    while address_words < len(words) - 1 and _is_address_word(words[address_words], gazetteer):
        address_words += 1
    address = words[:address_words]
    if not address or len(address) > 2 or any(_STREET_WORD.fullmatch(word) for word in address):
        return ""
    return " ".join(address)


def _is_address_word(word: str, gazetteer: Gazetteer) -> bool:
    return (
        word in gazetteer.countries
        or word in gazetteer.regions
        or bool(_ADDRESS_WORD.fullmatch(word) or _STREET_WORD.fullmatch(word))
    )


def _add_parenthesised_abbreviations(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """`동아시아연맹(EAFF)`: the abbreviation is an organisation mention as well (the tagger often misses an
    abbreviation it never saw); `_resolve_organisations` then gives it the full name as canonical. A name
    written again in Chinese characters (`시진핑(習近平)`, `베이징(北京)`) is a mention of the same entity."""
    taken = [(mention.start, mention.end) for mention in mentions]
    places = gazetteer.countries | gazetteer.regions
    by_span = {(mention.start, mention.end): mention for mention in mentions}
    added = []
    for mention in mentions:
        abbreviation = _PAREN_ABBREVIATION.match(text, mention.end) if mention.type == "ORG" else None
        if abbreviation and len(abbreviation.group(1)) <= 15 and abbreviation.group(1) not in places:
            start, end = abbreviation.span(1)
            tagged = by_span.get((start, end))
            if tagged is not None:
                tagged.type = "ORG"  # `한국표준과학연구원(표준연)`: the tagger read 표준연 as a person
            elif not _overlaps(start, end, taken):
                added.append(Mention(start, end, text[start:end], "ORG", text[start:end]))
        hanja = _PAREN_HANJA.match(text, mention.end) if mention.type in _NAMED_TYPES else None
        if hanja:
            start, end = hanja.span(1)
            tagged = by_span.get((start, end))
            if tagged is not None:
                # the gloss names what the name before it names (34 of 35 glosses in the training split carry
                # its type): 도요타(豊田) is the company even where the tagger reads 豊田 as a person
                tagged.type, tagged.canonical = mention.type, mention.canonical
            elif not _overlaps(start, end, taken):
                added.append(Mention(start, end, text[start:end], mention.type, mention.canonical))
    if not added:
        return mentions
    return sorted(mentions + added, key=lambda mention: mention.start)


def _split_person_organisation(
    text: str, mentions: list[Mention], forms: EntityForms, gazetteer: Gazetteer
) -> list[Mention]:
    """`이재웅 쏘카 대표` tagged as one person: the name is the first word, the rest its organisation.
    `젠슨 황 엔비디아 CEO`: a name of any shape keeps its words but the last when that word is an organisation
    the gazetteer or this text (an organisation mention elsewhere) names. `권주원 솔빛에너지 대표` tagged as one
    organisation: a first word shaped like a Korean full name that no lexicon types otherwise is the person
    (the training split has such a name, an organisation and a post 127 times, one organisation so once)."""
    organisations = {mention.surface for mention in mentions if mention.type == "ORG"}
    result: list[Mention] = []
    whole_words: list[tuple[int, int]] = []
    for mention in mentions:
        if mention.type == "ORG" and " " in mention.surface:
            name, _, rest = mention.surface.partition(" ")
            if _only_a_person_name(name, forms, gazetteer) and _title_after(text, mention.end, gazetteer.titles):
                result.append(Mention(mention.start, mention.start + len(name), name, "PERSON", name))
                result.append(Mention(mention.end - len(rest), mention.end, rest, "ORG", rest))
                continue
        if mention.type != "PERSON" or " " not in mention.surface:
            result.append(mention)
            continue
        name, _, rest = mention.surface.partition(" ")
        end = mention.end
        if not _looks_like_korean_name(name, rest, gazetteer):
            name, _, rest = mention.surface.rpartition(" ")
            # `샘 올트먼`: a lone first name is no person, so the last word is the family name, whatever
            # else the text tags it (`올트먼은` read as an organisation); only a listed organisation splits
            if rest not in gazetteer.organisations and (rest not in organisations or " " not in name):
                rest = ""
        elif HANGUL_SYLLABLE.match(text, end) and not _title_after(text, end, gazetteer.titles):
            # `임윤서 미르` tagged in `임윤서 미르반도체 연구소장`: the organisation is the whole word (not a
            # particle after it: `넘버원이`)
            word_end = end
            while HANGUL_SYLLABLE.match(text, word_end):
                word_end += 1
            if text[end:word_end] not in _PARTICLE_WORDS:
                end = word_end
                rest = text[mention.end - len(rest) : end]
        if rest and _title_after(text, end, gazetteer.titles):
            result.append(Mention(mention.start, mention.start + len(name), name, "PERSON", name))
            result.append(Mention(end - len(rest), end, rest, "ORG", rest))
            if end > mention.end:
                whole_words.append((end - len(rest), end))
        else:
            result.append(mention)
    # the tagger's piece of the word now whole (`빛에너지` of `윤현우 솔|빛에너지`) goes
    return _without_covered(result, whole_words) if whole_words else result


def _organisations_named_as_affiliations(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> None:
    """`네이버클라우드는 …` tagged a person where the same text names it an organisation beside a person or a
    title (`김유원 네이버클라우드 대표`): the name is that organisation throughout the text. A second "person"
    between a Korean full name and a title (`한지우 오픈랩 대표`) is that affiliation too: the training split
    has a person, a person and a title in a row 4 times, each with 씨 (a form of address, not a post), and a
    person, an organisation and a title 150 times."""
    for previous, mention in zip(mentions, mentions[1:], strict=False):
        if (
            previous.type == mention.type == "PERSON"
            and text[previous.end : mention.start] == " "
            and len(mention.surface) >= 2
            and _looks_like_korean_name(previous.surface, mention.surface, gazetteer)
            and _post_after(text, mention.end, gazetteer)
        ):
            mention.type = "ORG"
    affiliations = set()
    for index, mention in enumerate(mentions):
        if mention.type != "ORG":
            continue
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        beside_person = following is not None and following.type == "PERSON" and following.start - mention.end <= 1
        previous = mentions[index - 1] if index > 0 else None
        after_person = previous is not None and previous.type == "PERSON" and mention.start - previous.end <= 1
        if beside_person or after_person or _title_after(text, mention.end, gazetteer.titles):
            affiliations.add(mention.surface)
    for mention in mentions:
        if mention.type == "PERSON" and mention.surface in affiliations:
            mention.type = "ORG"


# A word between a Korean full name and a post that is no affiliation: when, which one, what kind of post.
_NOT_AFFILIATIONS = frozenset(("신임", "차기", "초대", "당시", "공동", "무소속", "당선인", "내정자", "수석", "단독"))
_WORD_AT = re.compile(r"[0-9A-Za-z가-힣&]+(?= )")
_LATIN_WORD = re.compile(r"[A-Za-z&]+")


def _add_affiliations_between(
    text: str, tokens: TokenColumns, mentions: list[Mention], gazetteer: Gazetteer
) -> list[Mention]:
    """`윤서연 핀포인트 대표`: an untagged word between a Korean full name and a post is the person's organisation
    when Kiwi reads a proper noun in it or guessed it (KLUE's training split: such a word before a post is an
    organisation 60 times, a country 13, something else about 20 besides 전). Latin words (`AI 연구소장`),
    places and the words of `_NOT_AFFILIATIONS` are left alone."""
    added: list[Mention] = []
    taken: list[tuple[int, int]] | None = None
    for mention in mentions:
        if (
            mention.type != "PERSON"
            or not _shaped_like_full_name(mention.surface)
            or text[mention.end : mention.end + 1] != " "
        ):
            continue
        word = _WORD_AT.match(text, mention.end + 1)
        if word is None or _title_after(text, word.end(), gazetteer.titles) is None:
            continue
        surface, start, end = word.group(), word.start(), word.end()
        if surface in _NOT_AFFILIATIONS or _TENSE_OF_POST.issuperset(surface) or _LATIN_WORD.fullmatch(surface):
            continue
        if surface in gazetteer.countries or surface in gazetteer.regions:
            continue
        taken = taken if taken is not None else [(other.start, other.end) for other in mentions]
        if _overlaps(start, end, taken):
            continue
        inside = range(bisect_left(tokens.starts, start), bisect_left(tokens.starts, end))
        if not inside or tokens.tags[inside[-1]].startswith("J") or surface in gazetteer.titles:
            continue  # `이지은 CFO가 부사장으로`: a post with its particle, the next word another post
        if _holds_a_name(tokens, inside):
            added.append(Mention(start, end, surface, "ORG", surface))
    return _with_replacements(mentions, added, set())


def _only_a_person_name(word: str, forms: EntityForms, gazetteer: Gazetteer) -> bool:
    """Three Hangul syllables after a common surname that neither the gazetteers nor the lexicons type as an
    organisation, a place or another proper noun (권주원, not 서울대)."""
    if not _shaped_like_full_name(word):
        return False
    entry = forms.entries.get(word)
    if word in gazetteer.organisations or (entry is not None and entry[0] != "PS"):
        return False
    return "L" not in gazetteer.name_kinds.get(word, "")


def _looks_like_korean_name(name: str, rest: str, gazetteer: Gazetteer) -> bool:
    """`이재웅` in `이재웅 쏘카`, not `프랑크` in `프랑크 베옌스`: a three-syllable name with a common surname,
    or any short Hangul name when the rest is a known organisation or has an organisation suffix."""
    if not (2 <= len(name) <= 4 and all(HANGUL_SYLLABLE.match(char) for char in name)):
        return False
    if _shaped_like_full_name(name):
        return True
    return rest in gazetteer.organisations or rest.endswith(gazetteer.org_suffixes)


def _shaped_like_full_name(word: str) -> bool:
    """A common surname and two more Hangul syllables (이재웅)."""
    return len(word) == 3 and word[0] in SURNAMES and "가" <= word[1] <= "힣" and "가" <= word[2] <= "힣"


def _surname_title_mentions(
    text: str,
    tokens: TokenColumns,
    mentions: list[Mention],
    taken: list[tuple[int, int]],
    gazetteer: Gazetteer,
) -> list[Mention]:
    """`문 대통령`, `이 대표`: a lone surname before a title, when a full name with that surname came
    earlier in the text (so the determiner 이 in `이 회장은` is not taken for a person). A one-syllable
    organisation or place there is retyped as that person (returned mentions are only the new ones)."""
    people = [mention for mention in mentions if mention.type == "PERSON" and len(mention.surface) >= 2]
    if not people:
        return []
    found: list[Mention] = []
    person_ends = {mention.end for mention in mentions if mention.type == "PERSON"}
    # where a full name with each surname is first named (checked before the title: most lone syllables, 및, 그,
    # 더, match no one)
    first_named: dict[str, int] = {}
    for person in people:
        first_named[person.surface[0]] = min(person.start, first_named.get(person.surface[0], person.start))
    # The text finds the few one-syllable words before a space; the tokens are read only to confirm one.
    for start in _lone_syllables(text, first_named):
        surname = text[start]
        if first_named[surname] >= start or not _title_after(text, start + 1, gazetteer.titles):
            continue
        if surname in _TENSE_OF_POST and start - 1 in person_ends:
            continue  # `이 전 대표`, `강석진 현 대표`: former, current; not 전주혜 named earlier
        # the tagger reads 한 in `한 총리` as Korea (KLUE's 한미, an organisation): after 한덕수 it is the person
        retyped = False
        for mention in mentions:
            if mention.start == start and mention.end == start + 1 and mention.type in ("ORG", "LOC"):
                mention.type, mention.canonical, retyped = "PERSON", surname, True
        if retyped or _overlaps(start, start + 1, taken):
            continue
        # one mention per one-syllable token there (Kiwi can put two morphemes on one syllable)
        one_syllable = _tokens_spanning(tokens, start, start + 1)
        for _ in range(one_syllable):
            found.append(Mention(start, start + 1, surname, "PERSON", surname))
        if one_syllable:
            person_ends.add(start + 1)
    return found


# Kiwi's tags of the particles that end a noun's word (subject, object, possessive, topic, and, adverbial).
_CASE_PARTICLE_TAGS = frozenset(("JKS", "JKO", "JKG", "JX", "JC", "JKB"))


def _full_names_of_references(
    text: str, tokens: TokenColumns, mentions: list[Mention], forms: EntityForms, gazetteer: Gazetteer
) -> list[Mention]:
    """`정신아 대표 내정자 … 정 내정자는`: the tagger missed the full name (Kiwi read 정신 + 아) but tagged the
    later reference. An untagged word before it, shaped like a full name with that surname that no lexicon
    types (`_only_a_person_name`) and followed by a post, is the person (returned: the new mentions)."""
    references = [mention for mention in mentions if mention.type == "PERSON" and len(mention.surface) == 1]
    if not references:
        return []
    named = {mention.surface[0] for mention in mentions if mention.type == "PERSON" and len(mention.surface) == 3}
    taken = _SpanIndex((mention.start, mention.end) for mention in mentions)
    found: list[Mention] = []
    for reference in references:
        surname = reference.surface
        if surname in named:
            continue
        for word in re.finditer(f"(?<![가-힣]){surname}[가-힣]{{2}}(?= )", text[: reference.start]):
            start, end = word.span()
            last = bisect_left(tokens.ends, end)  # the word's last token: `정부의` ends in a particle
            if (
                not taken.overlaps(start, end)
                and not (last < len(tokens.tags) and tokens.tags[last] in _CASE_PARTICLE_TAGS)
                and _only_a_person_name(word.group(), forms, gazetteer)
                and _post_after(text, end, gazetteer)
            ):
                found.append(Mention(start, end, word.group(), "PERSON", word.group()))
                named.add(surname)
                break
    return found


def _lone_syllables(text: str, syllables: Iterable[str]) -> list[int]:
    """Where one of `syllables` is a word of its own before a space (no syllable before it), in text order
    (str.find scans in C)."""
    found: list[int] = []
    for syllable in syllables:
        start = text.find(syllable + " ")
        while start >= 0:
            if start == 0 or not HANGUL_SYLLABLE.match(text, start - 1):
                found.append(start)
            start = text.find(syllable + " ", start + 2)
    return sorted(found)


def _tokens_spanning(tokens: TokenColumns, start: int, end: int) -> int:
    """How many tokens run exactly from `start` to `end`."""
    index, count = bisect_left(tokens.starts, start), 0
    while index < len(tokens.starts) and tokens.starts[index] == start:
        count += tokens.ends[index] == end
        index += 1
    return count


def _drop_tense_of_post(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """`강석진 현 대표`, `이 전 장관` with 현/전 tagged a name: after a person and before a post they are
    current and former, not a surname or a body."""
    kept = [
        mention
        for position, mention in enumerate(mentions)
        if not (
            mention.surface in _TENSE_OF_POST
            and position > 0
            and mentions[position - 1].type == "PERSON"
            and mentions[position - 1].end == mention.start - 1
            and _title_after(text, mention.end, gazetteer.titles)
        )
    ]
    return kept if len(kept) != len(mentions) else mentions


def _resolve_organisations(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> None:
    """Gazetteer short names and aliases defined in parentheses map to the full name."""
    local_aliases: dict[str, str] = {}
    for mention in mentions:
        if mention.type != "ORG":
            continue
        canonical = local_aliases.get(mention.surface) or gazetteer.org_aliases.get(mention.surface)
        # `(주)세온테크` is 세온테크: a company is named without its legal form
        mention.canonical = canonical or _LEGAL_FORM_BEFORE.sub("", mention.surface) or mention.surface
        alias = _PAREN_ALIAS.match(text, mention.end)
        if alias:
            local_aliases[alias.group(1).strip()] = mention.canonical


_NEW_POST_MARKER = re.compile(r" (?:신임|새|차기|초대)(?= )")
_POSSESSOR_BETWEEN = re.compile(r"의 | (?:공동)?(?:창업자|창업주|설립자)(?:인|이자) ")


def _attach_title_and_org(
    text: str, mention: Mention, previous: Mention | None, following: Mention | None, gazetteer: Gazetteer
) -> tuple[str, int] | None:
    """The title after a person (kept in its attrs with the organisation next to the name); returns the title."""
    title = _title_after(text, mention.end, gazetteer.titles)
    new_post = _NEW_POST_MARKER.match(text, mention.end) if title is None else None
    if new_post is not None:
        title = _title_after(text, new_post.end(), gazetteer.titles)  # "김태윤 신임 대표는": the post is 대표
    # "최수연 네이버 대표": the organisation sits between the name and the title.
    if not title and following and following.type == "ORG" and following.start - mention.end <= 1:
        title = _title_after(text, following.end, gazetteer.titles)
        if title and title[0] == "원장" and following.surface.endswith("위"):
            title = ("위원장", title[1])  # 공정위원장, 방통위원장: the committee's 위 is the title's too
        if title:
            mention.attrs["org"] = following.canonical
    if title:
        mention.attrs["title"] = title[0]
    # "네이버 최수연 대표": the organisation right before the name; "오픈AI의 샘 올트먼 CEO", "딥칩스 창업자인
    # 조민석 대표": its possessor or what the person founded, when a title follows (`삼성의 이재용` alone may be
    # anyone's)
    if (
        "org" not in mention.attrs
        and previous is not None
        and previous.type == "ORG"
        and (
            0 <= mention.start - previous.end <= 1
            or (title is not None and _POSSESSOR_BETWEEN.fullmatch(text, previous.end, mention.start) is not None)
        )
    ):
        mention.attrs["org"] = previous.canonical
    return title


def _resolve_people(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> None:
    """Titles and organisations seen with a person; surname + title resolves to the latest full name."""
    latest_by_surname: dict[str, Mention] = {}
    latest_by_surname_title: dict[tuple[str, str], Mention] = {}
    # `샘 올트먼` ... `올트먼 CEO`: a foreign name is referred to by its last word
    latest_by_last_word: dict[str, Mention] = {}
    previous: Mention | None = None
    for index, mention in enumerate(mentions):
        if mention.type == "PERSON":
            following = mentions[index + 1] if index + 1 < len(mentions) else None
            title = _attach_title_and_org(text, mention, previous, following, gazetteer)
            surname = mention.surface[0]
            # `이 장관` tagged whole (KLUE does so about once in ten) refers like `이` before 장관
            inner_title = _title_of_reference(mention.surface, gazetteer)
            if inner_title and not title:
                title = (inner_title, mention.end)
                mention.attrs.setdefault("title", inner_title)
            if len(mention.surface) == 1 or inner_title:
                earlier = None
                if title:
                    earlier = latest_by_surname_title.get((surname, title[0]))
                earlier = earlier or latest_by_surname.get(surname) or latest_by_last_word.get(mention.surface)
                if earlier is not None:
                    _refer_to(mention, earlier)
                else:
                    mention.attrs[UNRESOLVED] = "true"
            elif " " not in mention.surface and mention.surface in latest_by_last_word:
                _refer_to(mention, latest_by_last_word[mention.surface])
            elif 2 <= len(mention.surface) <= 4 and HANGUL_SYLLABLE.match(surname):
                latest_by_surname[surname] = mention
                if title:
                    latest_by_surname_title[(surname, title[0])] = mention
            if " " in mention.surface and not inner_title:
                latest_by_last_word[mention.surface.rpartition(" ")[2]] = mention
        previous = mention


def _title_of_reference(surface: str, gazetteer: Gazetteer) -> str | None:
    """The title in a surname-and-title reference tagged as one person (`이 장관` -> 장관)."""
    if len(surface) >= 3 and surface[1] == " " and surface[0] in SURNAMES and surface[2:] in gazetteer.titles:
        return surface[2:]
    return None


def _refer_to(mention: Mention, earlier: Mention) -> None:
    """`mention` is a reference to `earlier`: its name, and its attributes where the reference has none."""
    mention.canonical = earlier.canonical
    for key, value in earlier.attrs.items():
        mention.attrs.setdefault(key, value)
