"""Entities that end inside a Kiwi token: the tagger labels whole tokens, so a name Kiwi glued to what
follows it comes out too long. Post-decoding rules cut such a span back to where the name ends.

Each rule was counted on the KLUE-NER training split (news, held-out tenth excluded), over the tokens
that end a gold PS/OG/LC entity or run past its end:
- a particle glued to a name Kiwi did not know (스노든의, 에인절스에, 세바스토폴에서, 말랄라가): the
  entity ends before the particle in 28 of 28 cases (의, 에, 에서 always; 가 only after a final vowel,
  where it is the subject particle). Other particle syllables also end names (삼둥이, 알바라도,
  오나가와, 팰트로) and stay;
- a person span ending in 씨 (송민호씨, 팽씨) or in surname + 모 + 군/양 (조모군): KLUE tags the name or the
  surname alone, 8 of 8 (모 is the anonymising "so-and-so"). 군 alone is not cut: 드림군 is one name + 군,
  but 양녕대군 and 장군 are titles;
- a place glued to 시장/지역/인/주민/방향 (부산시장, 서울지역, 일본인): the place alone, 13 of 13 when
  the part before is a known country or region; 점 and 군 are excluded (칠곡점 and 진도군 are places);
- an electoral district (노원병, 부천원미갑): the place alone, without the district letter, 6 of 6
  (을 is left: 마을 ends many places).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence

from transforms.entities.features import SURNAMES, PieceToken, TokenColumns, TokenLike, token_columns

Span = tuple[int, int, str]

# Particles cut from a guessed name whatever its last sound; 가 needs a vowel before it (see below).
_ANY_STEM_PARTICLES = ("에서", "에게", "의", "에")
# After "surname + 모" (조모군, 김모양); 군 elsewhere is part of a title or a name (양녕대군, 장군).
_ANONYMOUS_ENDINGS = frozenset("씨군양")
_PLACE_ENDINGS = ("시장", "지역", "주민", "방향", "인")
_DISTRICT_LETTERS = ("갑", "병")
_NAME_TAGS = frozenset(("NNP", "NNG"))
_HANGUL_FIRST, _HANGUL_LAST = ord("가"), ord("힣")


def ends_in_vowel(syllable: str) -> bool:
    """A Hangul syllable without a final consonant (테디 -> 디): one that takes 가, not 이."""
    code = ord(syllable)
    return _HANGUL_FIRST <= code <= _HANGUL_LAST and (code - _HANGUL_FIRST) % 28 == 0


def _particle_length(form: str) -> int:
    for particle in _ANY_STEM_PARTICLES:
        if form.endswith(particle) and len(form) - len(particle) >= 2:
            return len(particle)
    if form.endswith("가") and len(form) >= 3 and ends_in_vowel(form[-2]):
        return 1
    return 0


def _cut(
    token: TokenLike,
    kind: str,
    eojeol_final: bool,
    is_place: Callable[[str], bool],
    known: Callable[[str, str], bool],
) -> int:
    """How many characters at the end of `token` (which ends a `kind` span) are not part of the entity."""
    form = token.form
    if token.tag not in _NAME_TAGS or known(form, kind):
        return 0
    if token.oov and eojeol_final:
        cut = _particle_length(form)
        if cut:
            return cut
    if kind == "PS":
        anonymous = len(form) == 3 and form[0] in SURNAMES and form[1] == "모"
        if anonymous and form[2] in _ANONYMOUS_ENDINGS:  # 조모군, 박모씨: the surname alone
            return 2
        if form.endswith("씨") and len(form) > 1:
            return 1
    elif kind == "LC":
        for ending in _PLACE_ENDINGS:
            if form.endswith(ending) and is_place(form[: -len(ending)]):
                return len(ending)
        if form.endswith(_DISTRICT_LETTERS) and len(form) >= 3:
            return 1
    return 0


def trim_to_entity(
    text: str,
    tokens: Sequence[TokenLike] | TokenColumns,
    spans: list[Span],
    is_place: Callable[[str], bool],
    known: Callable[[str, str], bool],
) -> list[Span]:
    """`spans` (start, end, KLUE kind) with each end moved back to where the entity ends inside its last token.

    `is_place(form)`: a country or region name; `known(form, kind)`: the lexicons type `form` as `kind` (a whole
    token they know, such as 손정의, is never cut).
    """
    if not spans:
        return spans
    columns = token_columns(tokens)
    guessed = frozenset(columns.guessed)
    trimmed: list[Span] = []
    for start, end, kind in spans:
        index = _last_token_ending_at(columns, start, end)
        if index is not None and columns.starts[index] >= start:
            token_start = columns.starts[index]
            token = PieceToken(
                columns.forms[index], columns.tags[index], token_start, end - token_start, index in guessed
            )
            # the token ends its eojeol: a space, punctuation or the end of the text follows
            eojeol_final = end >= len(text) or not text[end].isalnum()
            cut = _cut(token, kind, eojeol_final, is_place, known)
            if cut and end - cut > token_start:
                end -= cut
        trimmed.append(_within_brackets(text, start, end, kind))
    return trimmed


def _last_token_ending_at(columns: TokenColumns, start: int, end: int) -> int | None:
    """The last token that ends at `end`, searched from the first token at or after `start` (a span's tokens;
    Kiwi's tokens come in text order): a C-level scan of the span's few tokens, not of the whole text."""
    ends = columns.ends
    try:
        index = ends.index(end, bisect_left(columns.starts, start))
    except ValueError:
        return None
    while index + 1 < len(ends) and ends[index + 1] == end:
        index += 1
    return index


def _within_brackets(text: str, start: int, end: int, kind: str) -> Span:
    """`첼랴빈스크주(州`, `北海道) 삿포로시`: a bracket opened and not closed inside a name, or closed and not
    opened, is not part of it (KLUE's spans never hold one): the span keeps the side that holds no bracket,
    unless nothing would be left."""
    opening = text.rfind("(", start, end)
    if opening > start and ")" not in text[opening:end]:
        end = start + len(text[start:opening].rstrip())
    closing = text.find(")", start, end)
    if 0 <= closing < end - 1 and "(" not in text[start:closing]:
        rest = text[closing + 1 : end]
        start = end - len(rest.lstrip())
    # an edge bracket with no partner inside (`NLL)` of `북방한계선(NLL)`): the name is inside it
    if end - start > 1 and text[end - 1] == ")" and "(" not in text[start : end - 1]:
        end = start + len(text[start : end - 1].rstrip())
    if end - start > 1 and text[start] == "(" and ")" not in text[start + 1 : end]:
        start = end - len(text[start + 1 : end].lstrip())
    return start, end, kind
