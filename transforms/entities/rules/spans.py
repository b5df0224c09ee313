"""Rules that drop, trim or extend the tagger's spans: everyday words, verb stems, quoted products, names
run on to their word's start or onto a glued term, and current/former before a post."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from transforms.entities.entity_forms import EntityForms
from transforms.entities.features import HANGUL_SYLLABLE, SURNAMES, TokenColumns, is_surname_word
from transforms.entities.gazetteer import Gazetteer
from transforms.entities.rules.common import (
    CLOSING_QUOTES,
    NAMED_TYPES,
    OPENING_QUOTES,
    TENSE_OF_POST,
    TYPE_TO_KIND,
    extend_through_match,
    known_as,
    title_after,
    without_covered,
)
from transforms.records import Mention

# Head nouns that make the word before them a kind of thing: 유니콘 기업, 블록체인 기술, 메타버스 플랫폼.
KIND_HEADS = ("기업", "업체", "스타트업", "기술", "산업", "시장", "분야", "플랫폼", "생태계", "서비스")
# Nouns written onto a place that the place's name leaves out: `부산지역`, `뉴욕지사` (the training split: 지역
# after the place 24 times, inside it 4; 지사 5 and 0).
AREA_TAILS = frozenset(("지역", "지사"))
# What follows a person written as one letter (`A씨`, `B군`, `C양`).
_AFTER_ANONYMISED = frozenset("씨군양")


def drop_common_nouns(
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
        if mention.surface in gazetteer.common_terms and not known_as(
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
            if (kind_of or (common and everyday)) and not known_as(
                mention.surface, TYPE_TO_KIND[mention.type], forms, gazetteer
            ):
                continue
        kept.append(mention)
    return kept


def drop_verb_stems(tokens: TokenColumns, mentions: list[Mention]) -> list[Mention]:
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
            mention.type in NAMED_TYPES
            and 0 < index < len(starts)
            and starts[index] == mention.end
            and tags[index] in ("XSV", "XSA")
            and ends[index - 1] == mention.end
            and tags[index - 1] in ("NNG", "NNP")
        ):
            continue
        kept.append(mention)
    return kept if len(kept) != len(mentions) else mentions


def drop_surnames_of_common_words(tokens: TokenColumns, mentions: list[Mention]) -> list[Mention]:
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


# A product's kind before its quoted name: AI 에이전트 ‘카나(Kana)’, 스마트폰 '갤럭시S5', 앱 '노티파이',
# 대규모언어모델(LLM) ‘아토-3B’.
_PRODUCT_BEFORE_QUOTE = re.compile(
    r"(?:모델|에이전트|서비스|앱|애플리케이션|플랫폼|챗봇|브랜드|솔루션|제품|게임|신작|칩|LLM|엔진|로봇|프로그램|기기|"
    rf"단말기|스마트폰|폰|소프트웨어|어시스턴트|비서)(?:\([A-Za-z]{{2,6}}\))?\s?[{OPENING_QUOTES}]$"
)
# The quoted name itself, up to its gloss or its closing quote.
_QUOTED_NAME = re.compile(rf"([^{CLOSING_QUOTES}()]{{1,30}}?)(?:\([^()]{{1,20}}\))?[{CLOSING_QUOTES}]")
_QUOTE_OPENINGS = re.compile(f"[{OPENING_QUOTES}]")


def drop_quoted_products(text: str, mentions: list[Mention]) -> list[Mention]:
    """`AI 에이전트 ‘카나’`, `거대언어모델 '솔라'`, `신작 ‘에코 오브 아크’`: a quoted name right after the kind of
    product it is names the product, not a person or a place (KLUE's training split: 63 such names untagged, 4
    organisations, no person); so does the same name elsewhere in the text (`카나는 …`), and a person or place
    where the product's name begins (`아토` of `‘아토-3B’`). An organisation is kept."""
    if "'" not in text and "‘" not in text and '"' not in text and "“" not in text:
        return mentions
    products: set[str] = set()
    for quote in _QUOTE_OPENINGS.finditer(text):
        if _PRODUCT_BEFORE_QUOTE.search(text, max(0, quote.start() - 12), quote.end()):
            name = _QUOTED_NAME.match(text, quote.end())
            if name is not None and name.group(1).strip():
                products.add(name.group(1).strip())
    if not products:
        return mentions
    return [
        mention
        for mention in mentions
        if mention.type not in ("PERSON", "LOC")
        or not any(
            text.startswith(product, mention.start) and mention.end - mention.start <= len(product)
            for product in products
        )
    ]


_MODEL_SUFFIX = re.compile("-[0-9A-Za-z]")
# The word 모델 after a name: an AI or product model's name (`솔라 모델을 공개했다`); KLUE's training split has no
# person right before it (48 such words: none a person).
_MODEL_WORD_AFTER = re.compile(r" 모델(?:을|이|은|로|의|에|과|와|인|도|에서|으로)?(?=[\s,.'\"’”)]|$)")


def drop_model_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """`아토-3B`, `모아-X1`: a name with a Latin or numbered suffix after a hyphen is a product's model, never a
    person (KLUE's training split holds no person written so; a person before a hyphen and Hangul is one of a
    pair, `이보영-지성`); so is a "person" the word 모델 follows (`솔라 모델`)."""
    if "-" not in text and " 모델" not in text:
        return mentions
    return [
        m
        for m in mentions
        if m.type != "PERSON"
        or (_MODEL_SUFFIX.match(text, m.end) is None and _MODEL_WORD_AFTER.match(text, m.end) is None)
    ]


def extend_to_word_start(text: str, tokens: TokenColumns, mentions: list[Mention]) -> list[Mention]:
    """`금련산 청소년수련원` tagged from `산`, `하와이주립대` from `주립대`: Kiwi cut the word and the tagger
    began the name at the cut. A name starting after two or more syllables of its own word starts with the
    word (KLUE's news text starts 19 of 22,136 names there); a name after one syllable (`남북한`, `친노무현`),
    a one-syllable name (`한미일`) and a person named by a letter (`회사원B씨`) are left alone, and so is a
    name right after a particle (but 의) or an ending in its "word" (`괜찮았는데강예빈`, `터키와그리스`: text
    written without spaces, as comments and reviews are)."""
    result = mentions
    extended: list[tuple[int, int]] = []
    for position, mention in enumerate(mentions):
        if (
            mention.type not in NAMED_TYPES
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
        after_surname = _surname_before_given_name(text, mention, word_start)
        if (mention.start - word_start < 2 and not after_surname) or (
            word_start > 0 and not text[word_start - 1].isspace() and text[word_start - 1] not in "'\"‘“(["
        ):
            continue
        if not after_surname and _word_ends_before(tokens, word_start, mention.start):
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
    return _ending_before(without_covered(result, extended), extended)


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


def _word_ends_before(tokens: TokenColumns, word_start: int, name_start: int) -> bool:
    """Kiwi's token right before the name, inside the same run of letters, is a particle (but 의, which names
    carry inside them: `만남의광장`) or an ending (`괜찮았는데`, `어린`, `내가`): words written without a
    space, not one word. A name Kiwi does not know can read as a verb and a noun (`주사랑`), so only the
    tag right before the name counts."""
    before = bisect_left(tokens.starts, name_start) - 1
    if before < 0 or tokens.starts[before] < word_start or tokens.ends[before] != name_start:
        return False
    tag = tokens.tags[before]
    return tag[0] == "E" or (tag[0] == "J" and tag != "JKG")


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


def trim_glued_area_nouns(mentions: list[Mention]) -> list[Mention]:
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


# Suffixes that make a place into a word for something else: its people (`일본인`, `중국인들`), language
# (`한국어`), descent (`한국계`), a journey's end (`서울행`). KLUE's training split leaves a listed country or
# region untagged in such a word 142 times and tags it 14. A particle or the word's end must follow, so
# `북한인권`, `서울행정법원` keep their place.
_DERIVED_WORD_AFTER_PLACE = re.compile(
    r"(?:인들?|어|계|행)(?:은|는|이|가|을|를|의|과|와|에게|에|도|으로|로|만)?(?![가-힣])"
)


def drop_places_in_derived_words(text: str, mentions: list[Mention]) -> list[Mention]:
    """`일본인이`, `중국어`, `서울행 KTX`: the place in a word for its people, language, descent or a
    destination is no place mention of its own."""
    return [
        mention
        for mention in mentions
        if mention.type != "LOC" or not _DERIVED_WORD_AFTER_PLACE.match(text, mention.end)
    ]


def extend_onto_common_terms(
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


def extend_onto_firm_kinds(text: str, mentions: list[Mention]) -> list[Mention]:
    """`IMM PE` tagged as IMM: an organisation runs on through a firm-kind abbreviation written after it."""
    return extend_through_match(text, mentions, "ORG", _FIRM_KIND_AFTER)


def drop_tense_of_post(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """`강석진 현 대표`, `이 전 장관` with 현/전 tagged a name: after a person and before a post they are
    current and former, not a surname or a body."""
    kept = [
        mention
        for position, mention in enumerate(mentions)
        if not (
            mention.surface in TENSE_OF_POST
            and position > 0
            and mentions[position - 1].type == "PERSON"
            and mentions[position - 1].end == mention.start - 1
            and title_after(text, mention.end, gazetteer.titles)
        )
    ]
    return kept if len(kept) != len(mentions) else mentions
