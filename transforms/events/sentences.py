"""Sentences of an article with the entity mentions inside each, for the event rules."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from transforms.entities.features import SURNAMES
from transforms.entities.rules.organisations import COMPANY_KINDS
from transforms.records import Mention

# A sentence ends at . ? ! (closing quotes/brackets kept with it) before a space, or at a line break.
# "1.5억" or "3.0" never end one: the stop must be followed by white space or the end.
_SENTENCE = re.compile(r"[^\n]+?(?:[.?!][”’\"')\]]*(?=\s|$)|$)", re.MULTILINE)
NAMED_TYPES = ("ORG", "PERSON", "LOC")
# What kind of company the next word names: one list with the entity rules.
DESCRIPTORS = COMPANY_KINDS
_DESCRIBED_NAME = re.compile(
    rf"(?:{'|'.join(DESCRIPTORS)})\s(?:\(주\)|㈜)?['‘\"“]?([0-9A-Za-z가-힣&.·\-]+?)['’\"”]?"
    r"(?=(?:\([^)]{1,20}\))?(?:은|는|이|가|을|를|에|에게|와|과|의|로부터|으로부터)?[\s,])"
)
# "카카오벤처스 등으로부터", "인터베스트 주도로": an investor named by its phrase alone.
_INVESTOR_NAME = re.compile(
    r"(?:^|\s)(?!등)((?:[A-Z][A-Za-z0-9&]*\s)?[0-9A-Za-z가-힣&.·\-]{2,}?)(?=(?:\s등)?(?:으로부터|로부터)|\s(?:주도|리드)(?:로|했|한|하고|하며))"
)
_NOT_NAMES = frozenset(
    {"정부", "공동", "투자자", "투자자들", "기관", "기관들", "주주", "주주들", "이들", "회사", "고객", "업계"}
    # what a company's kind is followed by when no name comes (운영사 지분을, 기업 대표, 스타트업 관계자)
    | {"지분", "경영권", "주식", "사업", "사업부", "대표", "대표이사", "관계자", "임직원", "직원", "측", "인수", "매각"}
)
# The rest of a word after a name the model cut short (카카오|벤처스는), up to its particle.
_WORD_REST = re.compile(
    r"[0-9A-Za-z가-힣&]*?(?=(?:\([^)]{0,20}\))?(?:은|는|이|가|을|를|에|에게|와|과|의|로부터|으로부터|로|으로|도)?(?:[\s,.]|$))"
)
# A Korean personal name: a surname and one or two syllables (a compound surname and two: 남궁민수).
_COMPOUND_SURNAMES = ("남궁", "황보", "제갈", "선우", "독고", "사공", "서문")
_NAME_CHAR = re.compile(r"[0-9A-Za-z가-힣&]")
_COUNT = re.compile(r"^\d+(?:곳|개사|개|명|社|여\s?곳)?$")
# attrs key of a name read from the wording, not tagged by the entity model.
WORDING = "wording"


@dataclass(slots=True)
class Sentence:
    text: str
    start: int
    end: int
    mentions: list[Mention]  # mentions inside the sentence, offsets relative to the article

    def local(self, mention: Mention) -> tuple[int, int]:
        """The mention's offsets inside the sentence."""
        return mention.start - self.start, mention.end - self.start

    def named(self) -> list[Mention]:
        """Names that can be parties: one-syllable "names" (현 in 현 대표) are the model's slips."""
        return [
            m for m in self.mentions if m.type in NAMED_TYPES and not m.attrs.get("unresolved") and len(m.surface) > 1
        ]

    def of_type(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.type == kind]

    def after(self, mention: Mention, size: int = 16) -> str:
        _, end = self.local(mention)
        return self.text[end : end + size]

    def clause(self, start: int, end: int) -> Sentence:
        """The part of the sentence from `start` to `end` (offsets inside it), with the mentions inside that part."""
        first, last = self.start + start, self.start + end
        inside = [m for m in self.mentions if first <= m.start and m.end <= last]
        return Sentence(self.text[start:end], first, last, inside)

    def before(self, mention: Mention, size: int = 16) -> str:
        start, _ = self.local(mention)
        return self.text[max(0, start - size) : start]


def sentences(text: str, mentions: Sequence[Mention], wanted: re.Pattern[str]) -> Iterator[Sentence]:
    """The sentences that match `wanted`, each with its mentions (mentions are in text order)."""
    ordered = sorted(mentions, key=lambda mention: mention.start)
    index = 0
    for match in _SENTENCE.finditer(text):
        start, end = match.start(), match.end()
        while index < len(ordered) and ordered[index].start < start:
            index += 1
        body = match.group()
        if not wanted.search(body):
            continue
        inside = []
        for mention in ordered[index:]:
            if mention.start >= end:
                break
            if mention.end <= end:
                inside.append(mention)
        first = start + len(body) - len(body.lstrip())
        clean = body.strip()
        inside = [_whole_word(text, _word_start(text, first, mention)) for mention in inside]
        described = described_names(clean, first, inside)
        inside = [mention for mention in inside if not any(_cut_from(mention, name) for name in described)]
        inside += described
        inside.sort(key=lambda mention: mention.start)
        yield Sentence(clean, first, first + len(clean), inside)


def described_names(text: str, start: int, mentions: list[Mention]) -> list[Mention]:
    """Names the entity model missed that the wording marks as companies (기업 X, 스타트업 X), as mentions."""
    found: list[Mention] = []
    matches = [*_DESCRIBED_NAME.finditer(text), *_INVESTOR_NAME.finditer(text)]
    for match in matches:
        first, last, name = start + match.start(1), start + match.end(1), match.group(1)
        if len(name) < 2 or name in _NOT_NAMES or _COUNT.match(name):
            continue  # "교원창업기업 5곳에": a count of companies, not a name
        overlapping = [m for m in mentions + found if m.start < last and first < m.end]
        if any(not _cut_from(m, Mention(first, last, name, "ORG", name)) for m in overlapping):
            continue
        found.append(Mention(first, last, name, "ORG", name, attrs={WORDING: "1"}))
    return found


def _cut_from(mention: Mention, name: Mention) -> bool:
    """Whether `mention` is a person or place the model cut out of a word the wording marks as a company
    (액셀러레이터 와이앤|아처가, 스타트업 카본|제로가): the model's slip, which the company's name replaces."""
    return (
        mention.type in ("PERSON", "LOC")
        and name.start <= mention.start
        and mention.end <= name.end
        and mention.end - mention.start < name.end - name.start
    )


def is_korean_name(word: str) -> bool:
    """A surname and one or two syllables (a compound surname and two: 남궁민수), all Hangul."""
    surname = 2 if word.startswith(_COMPOUND_SURNAMES) else 1
    return word[0] in SURNAMES and len(word) <= surname + 2 and all("가" <= char <= "힣" for char in word)


def _word_start(text: str, sentence_start: int, mention: Mention) -> Mention:
    """An organisation mention that starts inside a word (우리벤처|파트너스가) widened back to the word's start; a
    person's when the word is a Korean name (고|은서 전무가)."""
    start = mention.start
    while start > sentence_start and _NAME_CHAR.match(text[start - 1]):
        start -= 1
    if start == mention.start or mention.type not in ("ORG", "PERSON"):
        return mention
    if mention.type == "PERSON" and not is_korean_name(text[start : mention.end]):
        return mention
    surface = text[start : mention.end]
    return Mention(start, mention.end, surface, mention.type, surface, attrs={**mention.attrs, WORDING: "1"})


def _whole_word(text: str, mention: Mention) -> Mention:
    """An organisation or person mention that ends inside a word (카카오 in 카카오벤처스는) widened to the word,
    as wording."""
    # A person's name runs on only within a Korean name's length (윤서|연 대표는 -> 윤서연), never across a space
    # (김도윤 클라우드|사업본부장을) or into a post written onto it (김철수대표).
    if mention.type not in ("ORG", "PERSON") or mention.end >= len(text) or not text[mention.end].isalnum():
        return mention
    rest = _WORD_REST.match(text, mention.end)
    if rest is None or not rest.group():
        return mention
    if mention.type == "PERSON" and not is_korean_name(text[mention.start : rest.end()]):
        return mention
    surface = text[mention.start : rest.end()]
    return Mention(mention.start, rest.end(), surface, mention.type, surface, attrs={**mention.attrs, WORDING: "1"})
