"""References and their resolution: surname + title mentions, the full names of references, names carried
through the document, and in-article alias resolution (중기부 -> 중소벤처기업부, 문 대통령 -> 문재인)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

from transforms.entities.entity_forms import EntityForms
from transforms.entities.features import HANGUL_SYLLABLE, SURNAMES, TokenColumns
from transforms.entities.gazetteer import Gazetteer
from transforms.entities.rules.common import (
    LEGAL_FORM_BEFORE,
    NAMED_TYPES,
    PAREN_HANJA,
    SENTENCE_END,
    TENSE_OF_POST,
    UNIT_BEFORE_POST,
    WORD_LETTERS,
    SpanIndex,
    institution_post,
    is_post_word,
    overlaps,
    post_after,
    title_after,
    with_replacements,
)
from transforms.entities.rules.people import foreign_full_name, only_a_person_name, shaped_like_full_name
from transforms.records import Mention

# Set on a surname + title reference (윤 대표) that no full name in the document resolves: it stays a
# mention, but names no entity of its own.
UNRESOLVED = "unresolved"
# "중소벤처기업부(중기부)": an alias defined in parentheses right after an organisation.
_PAREN_ALIAS = re.compile(r"\s?\(([^()]{1,15})\)")
# Two-syllable surnames: `남궁현 대표 … 남궁 대표` refers by both syllables.
COMPOUND_SURNAMES = frozenset(("남궁", "황보", "제갈", "선우", "독고", "사공"))


def _surname_of(name: str) -> str:
    return name[:2] if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES else name[0]


def propagate_names(text: str, tokens: TokenColumns, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """`업스테이지는 …` untagged while `김성훈 업스테이지 대표` is an organisation: a name the document tags
    somewhere is that entity wherever else it stands as a whole word (its own tokens, nothing after it but a
    particle), so an article's lead sentence keeps its subject, and a name tagged short inside that word
    (`미르` of `미르반도체의`) gives way. A person is carried only as a full name (a surname and two syllables, or
    words with a space, not `최 원장`); a name tagged with two types is carried nowhere."""
    types: dict[str, Mention | None] = {}
    for mention in mentions:
        surface = mention.surface
        if mention.type not in NAMED_TYPES or len(surface) < 2:
            continue
        if mention.type == "PERSON" and not (shaped_like_full_name(surface) or foreign_full_name(surface)):
            continue
        seen = types.get(surface, mention)
        types[surface] = mention if seen is not None and seen.type == mention.type else None
    if not types:
        return mentions
    mentions = sorted(mentions, key=lambda mention: mention.start)
    replaced: set[int] = set()
    starts, tags = tokens.starts, tokens.tags
    tagged_spans = SpanIndex((mention.start, mention.end) for mention in mentions)
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
            # `미르` tagged in `미르반도체의` where the text names 미르반도체: the shorter mention gives way; so
            # does `LG` of an organisation named by its kind, `LG AI연구원`, where nothing else is tagged after it
            # (not `미국` of `미국 국방부`, nor `애플` of a product, `애플 카플레이`)
            inside = at_start.get(position) if position in tagged else None
            if (
                inside is not None
                and " " in surface
                and not (inside.type == model.type == "ORG" and surface.endswith(gazetteer.org_suffixes))
            ):
                inside = None
            if position in tagged and (inside is None or inside.end >= end or following.get(position, end) < end):
                position = text.find(surface, end)
                continue
            if (
                (inside is not None or not tagged_spans.overlaps(position, end))
                and _stands_alone(text, starts, tags, position, end)
                and not overlaps(position, end, taken)
            ):
                added.append(Mention(position, end, surface, model.type, model.canonical))
                taken.append((position, end))
                if inside is not None:
                    replaced.add(id(inside))
            position = text.find(surface, end)
    return with_replacements(mentions, added, replaced)


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


def surname_title_mentions(
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
        surname = _surname_of(person.surface)
        first_named[surname] = min(person.start, first_named.get(surname, person.start))
    # The text finds the few one-syllable words before a space; the tokens are read only to confirm one.
    for start, surname in _lone_syllables(text, first_named):
        end = start + len(surname)
        if first_named[surname] >= start or not title_after(text, end, gazetteer.titles):
            continue
        if surname in TENSE_OF_POST and _right_after_person(text, start, person_ends):
            continue  # `이 전 대표`, `전군표(59) 전 국세청장`: former, current; not 전주혜 named earlier
        # the tagger reads 한 in `한 총리` as Korea (KLUE's 한미, an organisation): after 한덕수 it is the person
        retyped = False
        for mention in mentions:
            if mention.start == start and mention.end == end and mention.type in ("ORG", "LOC"):
                mention.type, mention.canonical, retyped = "PERSON", surname, True
        if retyped or overlaps(start, end, taken):
            continue
        # one mention per token there (Kiwi can put two morphemes on one syllable)
        own_tokens = _tokens_spanning(tokens, start, end) if end == start + 1 else 1
        for _ in range(own_tokens):
            found.append(Mention(start, end, surname, "PERSON", surname))
        if own_tokens:
            person_ends.add(end)
    return found


# Kiwi's tags of the particles that end a noun's word (subject, object, possessive, topic, and, adverbial).
_CASE_PARTICLE_TAGS = frozenset(("JKS", "JKO", "JKG", "JX", "JC", "JKB"))


def full_names_of_references(
    text: str, tokens: TokenColumns, mentions: list[Mention], forms: EntityForms, gazetteer: Gazetteer
) -> list[Mention]:
    """`정신아 대표 내정자 … 정 내정자는`: the tagger missed the full name (Kiwi read 정신 + 아) but tagged the
    later reference. An untagged word before it, shaped like a full name with that surname that no lexicon
    types (`only_a_person_name`) and followed by a post, or by an organisation and a post (`한성숙
    중소벤처기업부 장관`: Kiwi read 한 + 성숙), is the person (returned: the new mentions)."""
    references = [mention for mention in mentions if mention.type == "PERSON" and len(mention.surface) == 1]
    if not references:
        return []
    named = {mention.surface[0] for mention in mentions if mention.type == "PERSON" and len(mention.surface) == 3}
    taken = SpanIndex((mention.start, mention.end) for mention in mentions)
    organisation_ends = {mention.start: mention.end for mention in mentions if mention.type == "ORG"}
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
                and only_a_person_name(word.group(), forms, gazetteer)
                and post_after(text, organisation_ends.get(end + 1, end), gazetteer)
            ):
                found.append(Mention(start, end, word.group(), "PERSON", word.group()))
                named.add(surname)
                break
    return found


# What may stand between a person and a word about them: their age or a gloss in parentheses, `전군표(59) 전`.
_GLOSS_BEFORE = re.compile(r"\([^()]{1,20}\) $")
_GLOSS_AFTER = re.compile(r"\([^()]{1,20}\)(?= )")


def _right_after_person(text: str, start: int, person_ends: set[int]) -> bool:
    """A space, or a parenthesised gloss and a space, is all that separates `start` from a person's name."""
    if start - 1 in person_ends:
        return True
    gloss = _GLOSS_BEFORE.search(text, max(0, start - 23), start)
    return gloss is not None and gloss.start() in person_ends


def _lone_syllables(text: str, surnames: Iterable[str]) -> list[tuple[int, str]]:
    """Where one of `surnames` is a word of its own before a space (no syllable before it), in text order
    (str.find scans in C)."""
    found: list[tuple[int, str]] = []
    for surname in surnames:
        start = text.find(surname + " ")
        while start >= 0:
            if start == 0 or not HANGUL_SYLLABLE.match(text, start - 1):
                found.append((start, surname))
            start = text.find(surname + " ", start + len(surname) + 1)
    return sorted(found)


def _tokens_spanning(tokens: TokenColumns, start: int, end: int) -> int:
    """How many tokens run exactly from `start` to `end`."""
    index, count = bisect_left(tokens.starts, start), 0
    while index < len(tokens.starts) and tokens.starts[index] == start:
        count += tokens.ends[index] == end
        index += 1
    return count


def resolve_organisations(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> None:
    """Gazetteer short names and aliases defined in parentheses map to the full name."""
    local_aliases: dict[str, str] = {}
    for mention in mentions:
        if mention.type == "PERSON" and mention.surface in local_aliases:
            # `한국표준과학연구원(표준연)은 … 표준연은`: the abbreviation the article defined, not a person
            mention.type = "ORG"
        if mention.type != "ORG":
            continue
        canonical = local_aliases.get(mention.surface) or gazetteer.org_aliases.get(mention.surface)
        # `(주)세온테크` is 세온테크: a company is named without its legal form
        mention.canonical = canonical or LEGAL_FORM_BEFORE.sub("", mention.surface) or mention.surface
        alias = _PAREN_ALIAS.match(text, mention.end)
        if alias:
            local_aliases[alias.group(1).strip()] = mention.canonical


_NEW_POST_MARKER = re.compile(r" (?:신임|새|차기|초대|현)(?= )")
# A region's post written onto its name: `박형진 부산시장`, `윤채원 경기도지사`; the post and the unit it heads.
_REGIONAL_POST = re.compile(
    r"([가-힣]{1,4}?)(부시장|시장|부지사|도지사|군수|구청장)(?:은|는|이|가|과|와|을|를|의|도|에게)?(?=\W|$)"
)
_UNIT_OF_REGIONAL_POST = {"부시장": "시", "시장": "시", "부지사": "도", "도지사": "도", "군수": "군", "구청장": "구"}
# Between an organisation and a person who has a title: a possessive, what the person founded (`오라클 창업자
# 래리 엘리슨 회장`, `딥칩스 창업자인 조민석 대표`), or the end of the organisation's abbreviation
# (`한국전자통신연구원(ETRI) 방승찬 원장`: the tagged abbreviation ends before `)`).
_POSSESSOR_BETWEEN = re.compile(r"의 | (?:공동)?(?:창업자|창업주|설립자)(?:인|이자)? |\) ")
# A listed company as the sentence's topic right before a person with a company's post is that person's company
# (`무신사는 조만호 총괄대표가`, `네이버는 최수연 대표를`). Only a listed company: a public body, court, party,
# paper or market researcher as the topic acts on or reports people of other companies (`공정위는 김 의장을
# 고발했다`, `블룸버그는 젠슨 황 CEO가 … 고 보도했다`).
_TOPIC_BETWEEN = re.compile(r"(?:은|는) ")
_COMPANY_POSTS = frozenset(
    ("대표", "대표이사", "공동대표", "각자대표", "총괄대표", "CEO", "최고경영자", "회장", "부회장", "사장", "부사장")
    + ("의장", "창업자", "CFO", "CTO", "COO", "CPO", "최고기술책임자", "최고재무책임자")
)


def _attach_title_and_org(
    text: str, mention: Mention, previous: Mention | None, following: Mention | None, gazetteer: Gazetteer
) -> tuple[str, int] | None:
    """The title after a person (kept in its attrs with the organisation next to the name); returns the title."""
    title = title_after(text, mention.end, gazetteer.titles)
    if title is not None:
        title = _institution_of_post(text, mention, title, following, gazetteer.titles)
    # `한지우(45) 대표`, `손정의(孫正義) 소프트뱅크 회장`: the person's age or gloss, then the post or the
    # organisation and the post
    gloss = _GLOSS_AFTER.match(text, mention.end)
    name_end = gloss.end() if gloss is not None else mention.end
    if title is None and gloss is not None:
        title = title_after(text, gloss.end(), gazetteer.titles)
    new_post = _NEW_POST_MARKER.match(text, mention.end) if title is None else None
    if new_post is not None:
        title = title_after(text, new_post.end(), gazetteer.titles)  # "김태윤 신임 대표는": the post is 대표
    # "최수연 네이버 대표": the organisation sits between the name and the title; or a region or country, whose
    # government it is (`오세린 경기도 경제부지사`).
    if not title and following and _affiliation(text, following, gazetteer) and following.start - name_end <= 1:
        # `정태일 방송통신위원회(방통위) 위원장`: the organisation's short name between
        alias = _PAREN_ALIAS.match(text, following.end)
        after_organisation = alias.end() if alias else following.end
        title = title_after(text, after_organisation, gazetteer.titles)
        unit = UNIT_BEFORE_POST.match(text, after_organisation) if title is None else None
        # not `김무성·민주당 박기춘 의원`: a list's next person is no unit
        if unit is not None and text[mention.end] == " " and not shaped_like_full_name(unit.group()[1:]):
            title = title_after(text, unit.end(), gazetteer.titles)
        if title and title[0] == "원장" and following.surface.endswith("위"):
            title = ("위원장", title[1])  # 공정위원장, 방통위원장: the committee's 위 is the title's too
        if title:
            mention.attrs["org"] = following.canonical
            # `김지한 LG AI연구원장`: the organisation's institution that the person heads (LG AI연구원)
            institution = _institution_headed(text, after_organisation + 1, title)
            if institution is not None:
                mention.attrs["org"] = f"{following.canonical} {institution}"
    if not title:
        title = _regional_post(text, mention, gazetteer)
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
            or (
                title is not None
                and title[0] in _COMPANY_POSTS
                and _TOPIC_BETWEEN.fullmatch(text, previous.end, mention.start) is not None
                and previous.canonical in gazetteer.companies
                and previous.canonical not in gazetteer.institutions
            )
        )
    ):
        mention.attrs["org"] = previous.canonical
    return title


def resolve_hanja_glosses(text: str, mentions: list[Mention]) -> None:
    """`손정의(孫正義)`: a person's name in Chinese characters, in parentheses right after the name, is the
    same person (its name and attributes), not a second one."""
    for person, mention in zip(mentions, mentions[1:], strict=False):
        if person.type == "PERSON" == mention.type and mention.start == person.end + 1:
            gloss = PAREN_HANJA.match(text, person.end)
            if gloss is not None and gloss.span(1) == (mention.start, mention.end):
                _refer_to(mention, person)


def _next_after_gloss(text: str, mentions: list[Mention], index: int) -> Mention | None:
    """The mention after mentions[index], past any inside the gloss or age written right after it (`손정의
    (孫正義)`: the tagged 孫正義 is the same person, not what follows)."""
    gloss = _GLOSS_AFTER.match(text, mentions[index].end)
    following = index + 1
    while gloss is not None and following < len(mentions) and mentions[following].start < gloss.end():
        following += 1
    return mentions[following] if following < len(mentions) else None


def _affiliation(text: str, mention: Mention, gazetteer: Gazetteer) -> bool:
    """An organisation, or a region or country written as its own word (`부산시장` is `_regional_post`'s)."""
    if mention.type == "ORG":
        return True
    known_place = mention.surface in gazetteer.places
    return mention.type == "LOC" and known_place and text[mention.end : mention.end + 1] == " "


def _institution_of_post(
    text: str, mention: Mention, title: tuple[str, int], following: Mention | None, titles: frozenset[str]
) -> tuple[str, int]:
    """`최가온 금융보안원장`: the institution written onto its head's post is the person's organisation (금융보안원);
    so is an organisation the tagger found at the post's start (`방통위원장`: 방송통신위원회), which the title
    then leaves out when the rest is a post itself (`행정안전부지방행정국장`: 지방행정국장 of 행정안전부)."""
    start = mention.end + 1
    if text[mention.end : start] != " " or title[1] <= start:
        return title
    if following is not None and following.type == "ORG" and following.start == start and following.end < title[1]:
        mention.attrs["org"] = following.canonical
        rest = text[following.end : title[1]]
        if title[0] == text[start : title[1]] and (rest in titles or is_post_word(rest)):
            return rest, title[1]
        return title
    institution = _institution_headed(text, start, title)
    if institution is not None:
        mention.attrs["org"] = institution
    return title


def _institution_headed(text: str, start: int, title: tuple[str, int]) -> str | None:
    """The institution written onto the post at `start` (`금융보안원장` -> 금융보안원), when `title` is that post."""
    word = WORD_LETTERS.match(text, start)
    headed = institution_post(word.group()) if word is not None else None
    if headed is None or (headed[1], start + headed[2]) != title:
        return None
    return headed[0]


def _regional_post(text: str, mention: Mention, gazetteer: Gazetteer) -> tuple[str, int] | None:
    """`박형진 부산시장`: the post, with the region's unit as the person's organisation (부산시)."""
    post = _REGIONAL_POST.match(text, mention.end + 1) if text[mention.end : mention.end + 1] == " " else None
    if post is None or post.group(1) not in gazetteer.regions:
        return None
    region, unit = post.group(1), _UNIT_OF_REGIONAL_POST[post.group(2)]
    mention.attrs["org"] = region if region.endswith(unit) else region + unit
    return post.group(2), post.end(2)


def resolve_people(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> None:
    """Titles and organisations seen with a person; surname + title resolves to the latest full name."""
    latest_by_surname: dict[str, Mention] = {}
    latest_by_surname_title: dict[tuple[str, str], Mention] = {}
    # `샘 올트먼` ... `올트먼 CEO`: a foreign name is referred to by its last word
    latest_by_last_word: dict[str, Mention] = {}
    previous: Mention | None = None
    last_person: Mention | None = None
    for index, mention in enumerate(mentions):
        if mention.type == "PERSON":
            following = _next_after_gloss(text, mentions, index)
            title = _attach_title_and_org(text, mention, previous, following, gazetteer)
            surname = _surname_of(mention.surface)
            # `이 장관` tagged whole (KLUE does so about once in ten) refers like `이` before 장관
            inner_title = _title_of_reference(mention.surface, gazetteer)
            if inner_title:
                surname = mention.surface.partition(" ")[0]
                if not title:
                    title = (inner_title, mention.end)
                    mention.attrs.setdefault("title", inner_title)
            if len(mention.surface) == 1 or inner_title or (title and mention.surface in COMPOUND_SURNAMES):
                surname = surname if inner_title else mention.surface
                foreign = latest_by_last_word.get(mention.surface)
                post = title[0] if title else None
                # `젠슨 황 CEO … 황현식 사장 … 황 CEO`: a name seen with the same post, the latest first
                earlier = _latest(
                    latest_by_surname_title.get((surname, post)) if post else None,
                    foreign if foreign is not None and post and foreign.attrs.get("title") == post else None,
                ) or _latest(latest_by_surname.get(surname), foreign)
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
            shared = _share_post_in_pair(text, previous, mention)
            if shared is not None and latest_by_surname.get(_surname_of(previous.surface)) is previous:
                latest_by_surname_title[(_surname_of(previous.surface), shared)] = previous
            _co_head_of_same_company(text, last_person, mention)
            last_person = mention
        previous = mention


# Posts held together by two or more people of one company.
_SHARED_POSTS = frozenset(("공동대표", "각자대표", "공동창업자"))


def _co_head_of_same_company(text: str, earlier: Mention | None, mention: Mention) -> None:
    """`권하린 솔라시스템 공동대표와 이경민 공동대표가`: a co-head without a company, after another of the same
    post in the same sentence, heads that one's company (co-heads share one by what the post means)."""
    post = mention.attrs.get("title")
    if (
        post in _SHARED_POSTS
        and "org" not in mention.attrs
        and earlier is not None
        and earlier.attrs.get("title") == post
        and "org" in earlier.attrs
        and SENTENCE_END.search(text, earlier.end, mention.start) is None
    ):
        mention.attrs["org"] = earlier.attrs["org"]


def _share_post_in_pair(text: str, first: Mention | None, second: Mention) -> str | None:
    """`강대현·김정욱 공동대표`, `넥슨코리아 강대현·김정욱 공동대표`: two people joined by a middle dot share the
    post written after the second and the organisation written before the first. Returns the post the first
    gained, if any."""
    if first is None or first.type != "PERSON" or text[first.end : second.start] != "·":
        return None
    gained = None
    if "title" in second.attrs and "title" not in first.attrs:
        first.attrs["title"] = gained = second.attrs["title"]
    for holder, other in ((first, second), (second, first)):
        if "org" in holder.attrs and "org" not in other.attrs:
            other.attrs["org"] = holder.attrs["org"]
    return gained


def _title_of_reference(surface: str, gazetteer: Gazetteer) -> str | None:
    """The title in a surname-and-title reference tagged as one person (`이 장관` -> 장관, `남궁 대표`)."""
    surname, space, title = surface.partition(" ")
    if space and title in gazetteer.titles and (surname in SURNAMES or surname in COMPOUND_SURNAMES):
        return title
    return None


def _latest(first: Mention | None, second: Mention | None) -> Mention | None:
    if first is None or second is None:
        return first or second
    return first if first.start > second.start else second


def _refer_to(mention: Mention, earlier: Mention) -> None:
    """`mention` is a reference to `earlier`: its name, and its attributes where the reference has none."""
    mention.canonical = earlier.canonical
    post, full_post = mention.attrs.get("title"), earlier.attrs.get("title")
    if post and full_post and full_post != post and full_post.endswith(post):
        mention.attrs["title"] = full_post  # `유승재 크래프톤 딥러닝본부장 … 유 본부장`: the same post, in full
    for key, value in earlier.attrs.items():
        mention.attrs.setdefault(key, value)
