"""Search terms from Kiwi tokens: the morphemes an analyst searches for, and where each one stands.

Pure functions over the tokens the entity stage already has (`EntityExtractor.extract_many_with_tokens`),
so Kiwi runs once per article; the query side runs the same analysis over the query text. A term is a
morpheme's base form, so 반도체를, 반도체의 and 반도체가 are one term:
- nouns and proper nouns (NNG, NNP): the form (a noun is one term whichever of the two Kiwi says);
- verb and adjective stems (VV, VA, their irregular -I variants): the stem + 다 (늘리다, 크다), so a stem never
  collides with a noun of the same spelling;
- foreign words (SL): case-folded (HBM, hbm); numbers (SN): without thousands separators.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from transforms.collector import paused_collector

NOUN_TAGS = frozenset({"NNG", "NNP"})
STEM_TAGS = frozenset({"VV", "VA"})
# Double quotes (straight or curly) mark a phrase in a query.
PHRASE = re.compile(r'"([^"]*)"|“([^”]*)”')


class Token(Protocol):
    """What a term needs of a kiwipiepy Token."""

    form: str
    tag: str
    start: int
    len: int
    word_position: int


@dataclass(slots=True)
class FieldTerms:
    """One field's (title or body) terms: term -> occurrences as (position, start, end).

    `position` counts every Kiwi token of the field (particles and endings included), so a phrase's
    morphemes are adjacent when their positions are; start/end are character offsets, end exclusive."""

    length: int = 0  # term occurrences in the field: BM25's document length
    terms: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)


@dataclass(slots=True)
class ArticleTerms:
    title: FieldTerms
    body: FieldTerms


def term_of(form: str, tag: str) -> str | None:
    """The index term of one morpheme, or None for morphemes nobody searches for (particles, endings...)."""
    base = tag.split("-", 1)[0]  # kiwipiepy tags irregular conjugations VV-I, VA-I
    if base in NOUN_TAGS:
        return form
    if base in STEM_TAGS:
        return form + "다"
    if base == "SL":
        return form.casefold()
    if base == "SN":
        return form.replace(",", "")
    return None


# Tags seen to make no term (particles, endings, punctuation: most tokens), skipped before term_of, which
# decides by the tag alone whether a morpheme is a term.
_TERMLESS_TAGS: set[str] = set()


def field_terms(tokens: Iterable[Token]) -> FieldTerms:
    """Terms of one text from its Kiwi tokens (in order)."""
    terms: dict[str, list[tuple[int, int, int]]] = {}
    length = 0
    for position, token in enumerate(tokens):
        tag = token.tag
        if tag in _TERMLESS_TAGS:
            continue
        term = term_of(token.form, tag)
        if term is None:
            _TERMLESS_TAGS.add(tag)
            continue
        length += 1
        occurrence = (position, token.start, token.start + token.len)
        found = terms.get(term)
        if found is None:
            terms[term] = [occurrence]
        else:
            found.append(occurrence)
    return FieldTerms(length, terms)


def article_terms(title_tokens: Iterable[Token], body_tokens: Iterable[Token]) -> ArticleTerms:
    return ArticleTerms(field_terms(title_tokens), field_terms(body_tokens))


@dataclass(slots=True)
class Phrase:
    """Terms that must stand at these token offsets from the first one (a quoted phrase; gaps are the
    particles and endings between them in the query, e.g. 삼성전자의 반도체 -> offsets 0 and 2)."""

    terms: list[str]
    offsets: list[int]


@dataclass(slots=True)
class ParsedQuery:
    terms: list[str]  # distinct terms, in query order (phrase terms included)
    phrases: list[Phrase] = field(default_factory=list)


def query_parts(query: str) -> list[tuple[str, bool]]:
    """The query as (text, is_phrase) parts: quoted parts are phrases, the rest loose words."""
    parts: list[tuple[str, bool]] = []
    last = 0
    for match in PHRASE.finditer(query):
        parts.append((query[last : match.start()], False))
        parts.append((match.group(1) if match.group(1) is not None else match.group(2), True))
        last = match.end()
    parts.append((query[last:].replace('"', " "), False))  # an unclosed quote is a loose word
    return [(text, phrase) for text, phrase in parts if text.strip()]


def parse_query(parts: Sequence[tuple[str, bool]], token_lists: Sequence[Sequence[Any]]) -> ParsedQuery:
    """Query terms and phrases from each part's Kiwi tokens (parts as `query_parts` gives them)."""
    terms: list[str] = []
    phrases: list[Phrase] = []
    for (_, is_phrase), tokens in zip(parts, token_lists, strict=True):
        found = [(position, term) for position, token in enumerate(tokens) if (term := term_of(token.form, token.tag))]
        for _, term in found:
            if term not in terms:
                terms.append(term)
        if is_phrase:
            groups = [found]
        else:
            # One written word that Kiwi splits into several terms (인공지능 -> 인공 + 지능) stays together.
            words: dict[int, list[tuple[int, str]]] = {}
            for position, term in found:
                words.setdefault(tokens[position].word_position, []).append((position, term))
            groups = list(words.values())
        for group in groups:
            if len(group) > 1:
                first = group[0][0]
                phrases.append(Phrase([term for _, term in group], [position - first for position, _ in group]))
    return ParsedQuery(terms, phrases)


def batch_terms(token_lists: Sequence[Sequence[Token]], count: int) -> list[ArticleTerms]:
    """Terms of `count` articles from one batched analysis of their bodies followed by their titles
    (as `extract_many_with_tokens(bodies, also_tokenize=titles)` returns the tokens)."""
    if len(token_lists) != 2 * count:
        raise ValueError(f"expected {2 * count} token lists (bodies then titles), got {len(token_lists)}")
    # A tuple per term occurrence: hundreds of thousands a batch, which would set off full collections.
    with paused_collector():
        return [article_terms(token_lists[count + i], token_lists[i]) for i in range(count)]


class TaggedBatch(list):
    """The entity stage's result for a batch: one mention list per article (a plain list to everything that
    reads mentions) carrying, in `terms`, each article's search terms from the same Kiwi analysis."""

    def __init__(self, mentions: Iterable[Any] = (), terms: Sequence[ArticleTerms] = ()) -> None:
        super().__init__(mentions)
        self.terms = list(terms)


def phrase_found(positions: dict[str, Sequence[int]], phrase: Phrase) -> bool:
    """Whether a field holds the phrase: term i at (a position of the first term) + offset i, for every i.
    `positions` maps each of the phrase's terms to its token positions in the field."""
    first = positions.get(phrase.terms[0], ())
    rest = [(set(positions.get(term, ())), offset) for term, offset in zip(phrase.terms, phrase.offsets, strict=True)]
    return any(all(start + offset in found for found, offset in rest[1:]) for start in first)


SNIPPET_WIDTH = 160  # characters of text around the best match
SNIPPET_LEAD = 15  # characters shown before the first match in the snippet (table output cuts long cells)
MARK_OPEN, MARK_CLOSE = "«", "»"  # around each matched word; the archive's text rarely has them


def snippet(text: str, spans: Sequence[tuple[int, int, str]], width: int = SNIPPET_WIDTH) -> str:
    """The part of `text` around its best match, matched words marked: the window of `width` characters
    holding the most distinct terms (then the most matches). `spans` are (start, end, term) in `text`."""
    ordered = sorted(set(spans))
    if not ordered:
        return _flat(text[:width]) + ("…" if len(text) > width else "")
    best_key, best_start = (-1, -1), 0
    for first, (start, _, _) in enumerate(ordered):
        inside = [span for span in ordered[first:] if span[1] <= start + width - SNIPPET_LEAD]
        key = (len({term for _, _, term in inside}), len(inside))
        if key > best_key:
            best_key, best_start = key, start
    begin = max(0, best_start - SNIPPET_LEAD)
    end = min(len(text), begin + width)
    pieces, cursor = [], begin
    for start, stop, _ in ordered:
        if start < cursor or stop > end:
            continue  # outside the window, or overlapping a span already marked
        pieces += [text[cursor:start], MARK_OPEN, text[start:stop], MARK_CLOSE]
        cursor = stop
    pieces.append(text[cursor:end])
    return ("…" if begin > 0 else "") + _flat("".join(pieces)) + ("…" if end < len(text) else "")


def _flat(text: str) -> str:
    return " ".join(text.split())
