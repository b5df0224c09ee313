"""CRF features over Kiwi tokens, and BIO labels <-> character spans.

One item per Kiwi token. Features are per token, not per character, so the Python work stays
a small fraction of Kiwi's own analysis time; per-form strings are memoised across texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import compress, islice
from operator import and_, gt
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

import numpy as np

from transforms.entities.entity_forms import EntityForms, load_entity_forms
from transforms.entities.gazetteer import Gazetteer
from transforms.entities.neural import CONTEXT_INDEX

if TYPE_CHECKING:
    from transforms.entities.tagger import CrfWeights

LABEL_TYPES = ("PS", "OG", "LC")
# Which cluster granularity the neighbouring tokens contribute (0 = coarsest; see build_clusters.LEVELS).
NEIGHBOUR_CLUSTER_LEVEL = 2
# Longest run of noun tokens joined to look a name up in the typed lexicon (로잔나 + 포데스타).
LEXICON_SPAN_TOKENS = 4
# Distinct morpheme pairs and eojeols whose summed weight vectors are kept (their keys: about 20 MB at most;
# the vectors, 2 and 3 x labels float64 each, at most 15 and 22 MB once the tables have grown to hold them);
# each table is emptied when full, so a long run's memory stays flat.
PAIR_CACHE_LIMIT = 100_000
EOJEOL_CACHE_LIMIT = 100_000
# Distinct morphemes whose five summed views are kept (5 x labels float64 each: about 30 MB at most).
MORPHEME_CACHE_LIMIT = 100_000
# Padding rows between texts in a batch's flat layout: a token's views reach two tokens either side.
BATCH_PADDING = 2
_PADDING = [0] * BATCH_PADDING
# A neighbour pair's key: left morpheme id * base + right morpheme id (ids stay far below the base).
_PAIR_KEY_BASE = 1 << 32


class TokenLike(Protocol):
    form: str
    tag: str
    start: int
    len: int
    oov: bool  # Kiwi guessed the morpheme: it is not in Kiwi's dictionary


class PieceToken(NamedTuple):
    """A piece of a Kiwi token split for tagging (same fields the features read)."""

    form: str
    tag: str
    start: int
    len: int
    oov: bool = False


class TokenColumns(NamedTuple):
    """One text's tokens as lists: reading a Kiwi token's attribute builds a new object each time
    (~0.1 us), so each is read once and every stage shares the lists."""

    forms: list[str]
    tags: list[str]
    starts: list[int]
    ends: list[int]
    guessed: list[int]  # positions of the tokens Kiwi guessed (oov)
    eojeols: list[int]  # position of each eojeol's first token, then the token count


def token_columns(tokens: Sequence[TokenLike] | TokenColumns) -> TokenColumns:
    """The columns of a token list (given columns are returned as they are)."""
    if isinstance(tokens, TokenColumns):
        return tokens
    return _columns(*_read_tokens(tokens))


def _read_tokens(tokens: Sequence[TokenLike]) -> tuple[list[str], list[str], list[int], list[int], list[bool]]:
    starts = [token.start for token in tokens]
    ends = [start + token.len for start, token in zip(starts, tokens, strict=True)]
    forms = [token.form for token in tokens]
    # An entry of Kiwi's multi-word dictionary keeps its spaces in its form when the text has none (`네이버 웹툰`
    # for 네이버웹툰); which of it and a user word Kiwi picks shifts with the user dictionary's size, so such a
    # form is read as written. (Spaced in the text too, `버락 오바마`, it is the text.)
    if " " in "".join(forms):
        forms = [
            form.replace(" ", "") if " " in form and len(form) != token.len else form
            for form, token in zip(forms, tokens, strict=True)
        ]
    return forms, [token.tag for token in tokens], starts, ends, [t.oov for t in tokens]


def _columns(forms: list[str], tags: list[str], starts: list[int], ends: list[int], oov: list[bool]) -> TokenColumns:
    count = len(starts)
    # A token starts an eojeol when a space (or the text's start) comes before it. map and compress run
    # the per-token comparisons in C (a third of a comprehension's cost).
    eojeols = [0, *compress(range(1, count), map(gt, islice(starts, 1, None), ends))] if count else []
    eojeols.append(count)
    return TokenColumns(forms, tags, starts, ends, list(compress(range(count), oov)), eojeols)


# Country initials that Kiwi keeps as one noun but KLUE tags one syllable each: 한미 -> 한 + 미.
_INITIALS = frozenset("한남북미중일러")
# Names made of those syllables that are one place, not a pair.
_NOT_PAIRS = frozenset(("남한", "북한", "남미", "중남미", "한남"))
_DOTS = frozenset("·ㆍᆞ・")
# Middle-dot lookalikes (ㆍ U+318D, ᆞ U+119E, ・, ‧, ∙, ⋅, ･) written between names: Kiwi reads `독도ᆞ다케시마` as
# one common noun but `독도·다케시마` as two names and a dot. One character for one keeps every offset.
_MIDDLE_DOT_LOOKALIKES = "\u318d\u119e\u30fb\u2027\u2219\u22c5\uff65"
_MIDDLE_DOT_LOOKALIKE = re.compile(f"[{_MIDDLE_DOT_LOOKALIKES}]")
_AS_MIDDLE_DOT = str.maketrans(dict.fromkeys(_MIDDLE_DOT_LOOKALIKES, "\u00b7"))
HANGUL_SYLLABLE = re.compile("[가-힣]")
_LATIN_LETTER = re.compile("[A-Za-z]")


def with_middle_dots(text: str) -> str:
    """`text` with its middle-dot lookalikes written as the middle dot (same length, same offsets)."""
    # most texts have none: one search is ten times cheaper than translating every character
    return text.translate(_AS_MIDDLE_DOT) if _MIDDLE_DOT_LOOKALIKE.search(text) else text


def reads_as_korean(text: str) -> bool:
    """False for a text in Latin script (an English wire story): the tagger learnt Korean sentences, and on
    English it types `N.` of `N. Korea` an organisation. Korean text quoting English names, or an English
    line around a Korean name, stays Korean: false only where Latin letters outnumber Hangul syllables
    twenty to one."""
    latin = len(_LATIN_LETTER.findall(text))
    return latin < 20 or 20 * len(HANGUL_SYLLABLE.findall(text)) > latin


# "북측", "북핵": the initial alone is the entity.
_SIDE_WORDS = frozenset(initial + ending for initial in "한남북미중일" for ending in "측핵")
# Common Korean surnames: "박씨", "김모" are split so the surname alone is the person (KLUE's convention).
SURNAMES = frozenset(
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현함변"
    "염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부"
)
_AFTER_SURNAME = frozenset("씨모군양")


def _is_compound(form: str) -> bool:
    if len(form) < 2:
        return False
    if len(form) <= 3 and all(char in _INITIALS for char in form) and len(set(form)) == len(form):
        return form not in _NOT_PAIRS
    return any(char in _DOTS for char in form[1:-1])


# form -> when split_compounds splits it: _NEVER, _IF_PROPER (an initial pair or dotted noun, split as NNP
# only) or _ALWAYS (북측, 박씨: whatever the tag); one C-level lookup per token instead of three checks.
_NEVER, _IF_PROPER, _ALWAYS = 0, 1, 2
_SPLIT_VERDICT: dict[str, int] = {}


def _split_verdict(form: str) -> int:
    if form in _SIDE_WORDS or is_surname_word(form):
        return _ALWAYS
    return _IF_PROPER if _is_compound(form) else _NEVER


def split_compounds(tokens: Sequence[TokenLike]) -> Sequence[TokenLike]:
    """Tokens with 한미/남북-style initial pairs and dotted nouns (한·미) split into their parts.

    Returns the input sequence itself when nothing needs splitting (the common case).
    """
    return split_tokens(tokens)[0]


def split_tokens(tokens: Sequence[TokenLike]) -> tuple[Sequence[TokenLike], TokenColumns, TokenColumns]:
    """`split_compounds`, the columns of its result and those of `tokens` (the same object when nothing was
    split), each Kiwi attribute read once."""
    lists = _read_tokens(tokens)
    forms, tags = lists[0], lists[1]
    verdicts = list(map(_SPLIT_VERDICT.get, forms))
    if None in verdicts:  # forms not seen before
        for index in [index for index, verdict in enumerate(verdicts) if verdict is None]:
            verdicts[index] = _SPLIT_VERDICT.setdefault(forms[index], _split_verdict(forms[index]))
    split_at = [
        index for index in compress(range(len(forms)), verdicts) if verdicts[index] == _ALWAYS or tags[index] == "NNP"
    ]
    if not split_at:
        columns = _columns(*lists)
        return tokens, columns, columns
    split: list[TokenLike] = []
    spliced: tuple[list, ...] = ([], [], [], [], [])
    previous = 0
    for index in split_at:
        pieces = _pieces(tokens[index])
        split += tokens[previous:index]
        split += pieces
        # the columns spliced the same way: the pieces' values in place of the split token's
        for column, values in zip(spliced, lists, strict=True):
            column += values[previous:index]
        piece_columns = (
            [piece.form for piece in pieces],
            [piece.tag for piece in pieces],
            [piece.start for piece in pieces],
            [piece.start + piece.len for piece in pieces],
            [piece.oov for piece in pieces],
        )
        for column, values in zip(spliced, piece_columns, strict=True):
            column += values
        previous = index + 1
    split += tokens[previous:]
    for column, values in zip(spliced, lists, strict=True):
        column += values[previous:]
    return split, _columns(*spliced), _columns(*lists)


def is_surname_word(form: str) -> bool:
    return len(form) == 2 and form[1] in _AFTER_SURNAME and form[0] in SURNAMES


def _has_dot(form: str) -> bool:
    return any(char in _DOTS for char in form)


def _pieces(token: TokenLike) -> list[PieceToken]:
    form, start = token.form, token.start
    if form in _SIDE_WORDS or is_surname_word(form):  # 북측 -> 북 + 측, 박씨 -> 박 + 씨
        return [PieceToken(form[0], "NNP", start, 1), PieceToken(form[1], "NNG", start + 1, 1)]
    if not _has_dot(form):
        return [PieceToken(char, "NNP", start + offset, 1) for offset, char in enumerate(form)]
    pieces: list[PieceToken] = []
    piece_start = 0
    for offset, char in enumerate(form):
        if char in _DOTS:
            if offset > piece_start:
                pieces.append(PieceToken(form[piece_start:offset], "NNP", start + piece_start, offset - piece_start))
            pieces.append(PieceToken(char, "SP", start + offset, 1))
            piece_start = offset + 1
    if piece_start < len(form):
        pieces.append(PieceToken(form[piece_start:], "NNP", start + piece_start, len(form) - piece_start))
    return pieces


def _shape(form: str) -> str:
    """Character classes of a form, repeats collapsed: 한글 -> "H", iPhone15 -> "LD"."""
    classes: list[str] = []
    for char in form:
        if "가" <= char <= "힣":
            kind = "H"
        elif char.isascii() and char.isalpha():
            kind = "L"
        elif char.isdigit():
            kind = "D"
        elif "\u4e00" <= char <= "\u9fff":
            kind = "C"
        else:
            kind = "O"
        if not classes or classes[-1] != kind:
            classes.append(kind)
    return "".join(classes[:3])


def _primary_kind(kinds: str) -> str:
    """One kind for a name that the lexicon lists under several: person, then place, then other."""
    if "P" in kinds:
        return "P"
    return kinds[:1]  # kinds are sorted, so L comes before N


def _eojeol_bounds(starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
    """Per token, the index of the first and of the last token of its eojeol (space-separated word)."""
    count = len(starts)
    word_first = [0] * count
    word_last = [0] * count
    first = 0
    for i in range(1, count + 1):
        if i == count or starts[i] > ends[i - 1]:
            for j in range(first, i):
                word_first[j] = first
                word_last[j] = i - 1
            first = i
    return word_first, word_last


def _form_mark_features(form_marks: list[str], form_kinds: list[str], i: int) -> list[str]:
    """The entity-form mark of token i and the mark kinds of its neighbours."""
    features: list[str] = []
    if form_marks[i]:
        features.append("ef=" + form_marks[i])
        features.append("efk=" + form_kinds[i])
    if i > 0 and form_kinds[i - 1]:
        features.append("-1efk=" + form_kinds[i - 1])
    if i + 1 < len(form_kinds) and form_kinds[i + 1]:
        features.append("+1efk=" + form_kinds[i + 1])
    return features


def _neighbour_features(forms: list[str], tags: list[str], starts: list[int], ends: list[int], i: int) -> list[str]:
    """Token i paired with the token before and after it (or the sentence bound), and the spaces between."""
    features: list[str] = []
    form, tag = forms[i], tags[i]
    if i == 0:
        features.append("BOS")
    else:
        features.append("-1t|t=" + tags[i - 1] + "|" + tag)
        features.append("-1w|w=" + forms[i - 1] + "|" + form)
        if starts[i] > ends[i - 1]:
            features.append("sp")
    if i == len(forms) - 1:
        features.append("EOS")
    else:
        features.append("t|+1t=" + tag + "|" + tags[i + 1])
        features.append("w|+1w=" + form + "|" + forms[i + 1])
        if starts[i + 1] > ends[i]:
            features.append("sp+")
    return features


class FeatureBuilder:
    """Turns a token list into crfsuite feature lists, with memoised per-form pieces."""

    def __init__(self, gazetteer: Gazetteer, entity_forms: EntityForms | None = None) -> None:
        # Training passes a lexicon built without the sentences being featurised (jackknifing).
        self._entity_forms = entity_forms if entity_forms is not None else load_entity_forms()
        self._lexicon: dict[str, str] = {}
        for name in gazetteer.countries:
            self._lexicon[name] = "LOC"
        for name in gazetteer.regions:
            self._lexicon[name] = "LOC"
        for name in gazetteer.organisations:
            self._lexicon[name] = "ORG"
        for name in gazetteer.titles:
            self._lexicon[name] = "TITLE"
        self._suffixes = gazetteer.org_suffixes
        self._clusters = gazetteer.clusters
        self._name_kinds = gazetteer.name_kinds
        self._own: dict[tuple[str, str], list[str]] = {}
        self._cue: dict[str, str] = {}
        self._view_cache: dict[tuple[str, str], tuple[list[str], ...]] = {}
        # summed weights of morphemes and pairs, for one CrfWeights at a time
        self._tables: _ScoreTables | None = None

    def _own_features(self, form: str, tag: str) -> list[str]:
        key = (form, tag)
        cached = self._own.get(key)
        if cached is not None:
            return cached
        features = ["w=" + form, "t=" + tag, "s1=" + form[-1], "p1=" + form[0], "n=" + str(min(len(form), 5))]
        features.append("sh=" + _shape(form))
        if len(form) > 2:
            features += ["s2=" + form[-2:], "p2=" + form[:2]]
        if tag == "NNP" and 2 <= len(form) <= 4 and form[0] in SURNAMES:
            features.append("sur")
        cluster = self._clusters.get(key)
        if cluster:
            features += [f"c{level}=" + cluster_id for level, cluster_id in enumerate(cluster)]
        gazetteer_class = self._lexicon.get(form)
        if gazetteer_class:
            features.append("gz=" + gazetteer_class)
        for kind in self._name_kinds.get(form, ""):
            features.append("mk=" + kind)
        if tag.startswith("NN") and len(form) > 1:
            for suffix in self._suffixes:
                if form.endswith(suffix) and len(form) > len(suffix):
                    features.append("osuf=" + suffix)
                    break
        self._own[key] = features
        return features

    def own_features(self, form: str, tag: str) -> list[str]:
        """A morpheme's own features (form, tag, affixes, shape, clusters, lexicon kinds), memoised."""
        return self._own_features(form, tag)

    def context_marks(self, tokens: Sequence[TokenLike] | TokenColumns) -> tuple[list[str], list[str]]:
        """Per token, the typed-lexicon run mark and the entity-form mark (both "" where none)."""
        columns = token_columns(tokens)
        forms, tags = columns.forms, columns.tags
        return self._lexicon_spans(forms, tags), self._entity_forms.marks(forms, tags)

    def neural_context(
        self, tokens: Sequence[TokenLike] | TokenColumns, marks: tuple[list[str], list[str]]
    ) -> np.ndarray:
        """(tokens x len(neural.CONTEXT)) float32 flags: the context features of `emissions` as columns."""
        return self.neural_contexts([token_columns(tokens)], [marks])[0]

    def neural_contexts(
        self, columns: Sequence[TokenColumns], marks: Sequence[tuple[list[str], list[str]]]
    ) -> list[np.ndarray]:
        """`neural_context` of several texts: one flag matrix set in one numpy op, split into per-text views."""
        lengths = [len(text_columns.forms) for text_columns in columns]
        ends = np.cumsum(lengths).tolist()
        if not ends or not ends[-1]:
            return np.split(np.zeros((ends[-1] if ends else 0, len(CONTEXT_INDEX)), np.float32), ends[:-1])
        flags = self._context_flags(columns, marks, np.array(ends) - lengths, ends[-1])
        return np.split(flags, ends[:-1])

    def flat_neural_codes(
        self, columns: Sequence[TokenColumns], marks: Sequence[tuple[list[str], list[str]]], layout: _FlatLayout
    ) -> np.ndarray:
        """The flags of `neural_contexts` in a batch's flat layout (`flat_emissions`; none on padding), each row's
        as one integer (bit c: neural.CONTEXT[c]): what the network reads of them, without a flag matrix."""
        rows, flag_columns = self._context_flag_cells(columns, marks, np.array(layout.offsets))
        codes = np.zeros(layout.size, np.int64)
        np.bitwise_or.at(codes, rows, np.left_shift(1, flag_columns))
        return codes

    def _context_flags(
        self,
        columns: Sequence[TokenColumns],
        marks: Sequence[tuple[list[str], list[str]]],
        offsets: np.ndarray,
        size: int,
    ) -> np.ndarray:
        """(size x len(neural.CONTEXT)) flags, text i's tokens at rows offsets[i]...; other rows zero."""
        flags = np.zeros((size, len(CONTEXT_INDEX)), np.float32)
        rows, flag_columns = self._context_flag_cells(columns, marks, offsets)
        flags[rows, flag_columns] = 1.0
        return flags

    def _context_flag_cells(
        self, columns: Sequence[TokenColumns], marks: Sequence[tuple[list[str], list[str]]], offsets: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The (row, column) of each set context flag, text i's tokens at rows offsets[i]..."""
        lengths = [len(text_columns.forms) for text_columns in columns]
        # Eojeol bounds and guessed tokens of all texts as flat positions, found column by column in numpy.
        flat_bounds, is_first, is_last = _flat_eojeol_bounds(columns, offsets)
        real = np.array(lengths) > 0
        guessed = [text_columns.guessed for text_columns in columns]
        guessed_rows = np.concatenate(guessed).astype(np.intp) + np.repeat(offsets, list(map(len, guessed)))
        flag_rows = {
            "eostart": flat_bounds[~is_last],
            "eoend": flat_bounds[~is_first] - 1,
            "BOS": offsets[real],
            "EOS": (offsets + lengths - 1)[real],
            "oov": guessed_rows,
        }
        rows: list[int] = []
        flag_columns: list[int] = []
        for (lexicon_marks, form_marks), offset in zip(marks, offsets.tolist(), strict=True):
            for i in compress(range(len(lexicon_marks)), lexicon_marks):
                rows.append(offset + i)
                flag_columns.append(CONTEXT_INDEX[lexicon_marks[i]])
            for i in compress(range(len(form_marks)), form_marks):
                rows.append(offset + i)
                flag_columns.append(CONTEXT_INDEX["ef=" + form_marks[i]])
        all_rows = np.concatenate([*flag_rows.values(), np.array(rows, np.intp)]).astype(np.intp)
        all_columns = np.concatenate(
            [
                *(np.full(len(at), CONTEXT_INDEX[name], np.intp) for name, at in flag_rows.items()),
                np.array(flag_columns, np.intp),
            ]
        )
        return all_rows, all_columns

    def _views(self, form: str, tag: str) -> tuple[list[str], ...]:
        """A token's own features and its features as the -1, -2, +1 and +2 neighbour (memoised)."""
        key = (form, tag)
        views = self._view_cache.get(key)
        if views is None:
            views = self._view_cache[key] = self.view_features(form, tag)
        return views

    def view_features(self, form: str, tag: str) -> tuple[list[str], ...]:
        """`_views` unmemoised (the scoring tables keep the summed weights instead)."""
        key = (form, tag)
        cue = self._cue_of(form)
        as_prev = ["-1w=" + form, "-1t=" + tag]
        as_next = ["+1w=" + form, "+1t=" + tag]
        if cue:
            as_prev.append("-1gz=" + cue)
            as_next.append("+1gz=" + cue)
        name_kind = _primary_kind(self._name_kinds.get(form, ""))
        if name_kind:
            as_prev.append("-1mk=" + name_kind)
            as_next.append("+1mk=" + name_kind)
        cluster = self._clusters.get(key)
        if cluster:
            as_prev.append("-1c=" + cluster[NEIGHBOUR_CLUSTER_LEVEL])
            as_next.append("+1c=" + cluster[NEIGHBOUR_CLUSTER_LEVEL])
        as_next2 = ["+2t=" + tag, "+2w=" + form]
        if cue == "TITLE":
            as_next2.append("+2gz=TITLE")
        return (self._own_features(form, tag), as_prev, ["-2t=" + tag, "-2w=" + form], as_next, as_next2)

    def _cue_of(self, form: str) -> str:
        cue = self._cue.get(form)
        if cue is None:
            cue = self._lexicon.get(form, "")
            self._cue[form] = cue
        return cue

    def _lexicon_spans(self, forms: list[str], tags: list[str]) -> list[str]:
        """B/I marks where 2-4 consecutive noun tokens spell a lexicon name (Kiwi split 공태광 or
        the text spaced 로잔나 포데스타); a later match overrides the marks of an earlier one."""
        count = len(forms)
        marks = [""] * count
        name_kinds = self._name_kinds
        noun_tags = {tag for tag in set(tags) if tag[:2] == "NN"}
        # the per-token tests run in C (map over set membership): these lists are a token each
        joinable = list(map((noun_tags | {"SL"}).__contains__, tags))
        joinable.append(False)
        nouns = map(noun_tags.__contains__, tags)
        # A run starts at a noun followed by a noun or a Latin word (most nouns take a particle).
        for i in compress(range(count), map(and_, nouns, islice(joinable, 1, None))):
            joined = forms[i]
            for j in range(i + 1, min(count, i + LEXICON_SPAN_TOKENS)):
                if not joinable[j]:
                    break
                joined += forms[j]
                kinds = name_kinds.get(joined)
                if kinds:
                    kind = _primary_kind(kinds)
                    marks[i] = "mks=B" + kind
                    for k in range(i + 1, j + 1):
                        marks[k] = "mks=I" + kind
        return marks

    def _token_parts(self, tokens: Sequence[TokenLike], text: str) -> tuple[list[tuple[str, str]], list[list[str]]]:
        """Each token's (form, tag) key, whose features come from the per-morpheme caches, and the
        features that depend on its context (eojeol, lexicon runs, neighbour pairs)."""
        forms, tags, starts, ends, _ = _read_tokens(tokens)
        word_first, word_last = _eojeol_bounds(starts, ends)
        lexicon_marks = self._lexicon_spans(forms, tags)
        form_marks = self._entity_forms.marks(forms, tags)
        form_kinds = [mark[:4] for mark in form_marks]
        dynamic: list[list[str]] = []
        for i in range(len(tokens)):
            last = word_last[i]
            features = ["bias", "eo=" + text[starts[word_first[i]] : ends[last]]]
            if last > i:
                features.append("eoend=" + tags[last] + ("" if last == i + 1 else "+"))
                features.append("eoendw=" + forms[last])
            if word_first[i] == i:
                features.append("eostart")
            if lexicon_marks[i]:
                features.append(lexicon_marks[i])
            features += _form_mark_features(form_marks, form_kinds, i)
            # Names Kiwi has never seen (공태광, 우로시다니) are guessed as NNP: +0.006 micro-F1 in CV.
            if tokens[i].oov:
                features.append("oov")
            features += _neighbour_features(forms, tags, starts, ends, i)
            dynamic.append(features)
        return list(zip(forms, tags, strict=True)), dynamic

    def build(self, tokens: Sequence[TokenLike], text: str) -> list[list[str]]:
        """crfsuite items: per token, its own and its neighbours' cached views plus its context features."""
        keys, dynamic = self._token_parts(tokens, text)
        views = [self._views(form, tag) for form, tag in keys]
        count = len(keys)
        items: list[list[str]] = []
        for i in range(count):
            features = [*views[i][0], *dynamic[i]]
            if i > 0:
                features += views[i - 1][1]
            if i > 1:
                features += views[i - 2][2]
            if i + 1 < count:
                features += views[i + 1][3]
            if i + 2 < count:
                features += views[i + 2][4]
            items.append(features)
        return items

    def emissions(
        self,
        tokens: Sequence[TokenLike],
        text: str,
        weights: CrfWeights,
        marks: tuple[list[str], list[str]] | None = None,
    ) -> np.ndarray:
        """The (tokens x labels) CRF scores of `build`'s features for one text (see `emissions_many`).
        `marks` are `context_marks(tokens)` when the caller already has them."""
        return self.emissions_many([tokens], [text], weights, [marks] if marks is not None else None)[0]

    def emissions_many(
        self,
        token_lists: Sequence[Sequence[TokenLike]],
        texts: Sequence[str],
        weights: CrfWeights,
        marks: Sequence[tuple[list[str], list[str]]] | None = None,
    ) -> list[np.ndarray]:
        """The (tokens x labels) CRF scores of `build`'s features per text, without building most of them.

        The texts run as one flat sequence (pad, text, pad, text, ..., pad; padding rows score zero), so
        each kind of feature is one gather and one addition for the whole batch: a morpheme's five views
        and a neighbour pair's four features are interned to integer ids whose weights are summed once
        (morphemes and pairs repeat across texts); eojeol, lexicon-run and entity-form features are looked
        up per eojeol or mark; flags (bias, eostart, sp, oov) add one row. Additions happen in the order
        the per-text code used, so the scores are the same to the bit. Must stay feature for feature the
        same as `_token_parts` + `build` (tests compare the labels).
        """
        all_columns = [token_columns(tokens) for tokens in token_lists]
        lengths = [len(text_columns.forms) for text_columns in all_columns]
        kept = [i for i, length in enumerate(lengths) if length]
        results = [np.zeros((0, weights.size))] * len(token_lists)
        if not kept:
            return results
        if marks is None:
            marks = [self.context_marks(text_columns) for text_columns in all_columns]
        flat = self.flat_emissions(
            [all_columns[i] for i in kept], [texts[i] for i in kept], weights, [marks[i] for i in kept]
        )
        for index, offset in zip(kept, flat.layout.offsets, strict=True):
            results[index] = flat.scores[offset : offset + lengths[index]]
        return results

    def flat_emissions(
        self,
        columns: Sequence[TokenColumns],
        texts: Sequence[str],
        weights: CrfWeights,
        marks: Sequence[tuple[list[str], list[str]]],
    ) -> FlatScores:
        """`emissions_many` of texts that all have tokens, left in the batch's flat layout (text i's rows
        start at layout.offsets[i]), with the morpheme id of each position: the stages after it (the
        network, Viterbi) work on the whole batch at once."""
        tables = self._tables_for(weights)
        forms = [text_columns.forms for text_columns in columns]
        tags = [text_columns.tags for text_columns in columns]
        layout = _FlatLayout([len(text_forms) for text_forms in forms])
        scores, morpheme_ids = tables.view_scores(forms, tags, self)
        flag = weights.flag_rows
        scores += flag["bias"]
        scores[layout.firsts] += flag["BOS"]
        scores[layout.lasts] += flag["EOS"]
        tables.add_eojeol_scores(scores, columns, texts, layout)
        guessed = [
            offset + i
            for text_columns, offset in zip(columns, layout.offsets, strict=True)
            for i in text_columns.guessed
        ]
        if guessed:
            scores[guessed] += flag["oov"]
        tables.add_pair_scores(scores, morpheme_ids)
        self._add_mark_scores(scores, marks, layout, weights)
        return FlatScores(scores, morpheme_ids, layout, tables)

    def _tables_for(self, weights: CrfWeights) -> _ScoreTables:
        """The interned tables hold one model's weights: a different model starts new ones."""
        if self._tables is None or self._tables.weights is not weights:
            self._tables = _ScoreTables(weights)
        return self._tables

    def _add_mark_scores(
        self,
        scores: np.ndarray,
        marks: Sequence[tuple[list[str], list[str]]],
        layout: _FlatLayout,
        weights: CrfWeights,
    ) -> None:
        rows: list[int] = []
        positions: list[int] = []
        tables = self._tables_for(weights)
        for text_marks, offset in zip(marks, layout.offsets, strict=True):
            tables.add_mark_rows(text_marks, offset, rows, positions)
        if rows:
            # Each marked position's rows summed in the order they were listed, then added to its scores once:
            # a position has at most five (the lexicon mark, ef, efk, -1efk, +1efk), and numpy sums fewer than
            # eight one by one, so this is the bincount per label column it replaces to the bit, at half the CPU
            # (a bincount reads and adds every row of the batch, marked or not).
            order = np.argsort(positions, kind="stable")
            marked = np.asarray(positions)[order]
            firsts = np.flatnonzero(np.r_[True, marked[1:] != marked[:-1]])
            scores[marked[firsts]] += np.add.reduceat(weights.state[np.asarray(rows)[order]], firsts, axis=0)


class _FlatLayout:
    """Where each text's tokens sit in a batch laid out pad, text, pad, text, ..., pad."""

    def __init__(self, lengths: list[int]) -> None:
        self.lengths = lengths
        self.offsets: list[int] = []
        position = BATCH_PADDING
        for length in lengths:
            self.offsets.append(position)
            position += length + BATCH_PADDING
        self.size = position
        self.firsts = self.offsets
        self.lasts = [offset + length - 1 for offset, length in zip(self.offsets, lengths, strict=True)]

    def chunks(self, min_tokens: int) -> list[tuple[int, int, slice]]:
        """Runs of whole texts with at least `min_tokens` tokens each (the last: what is left), as the flat
        rows (first, end) that hold them with the padding either side, and which texts they are."""
        runs: list[tuple[int, int, slice]] = []
        first = size = 0
        for end, length in enumerate(self.lengths, start=1):
            size += length
            if size >= min_tokens or end == len(self.lengths):
                start_row = self.offsets[first] - BATCH_PADDING
                runs.append((start_row, self.lasts[end - 1] + 1 + BATCH_PADDING, slice(first, end)))
                first, size = end, 0
        return runs


class FlatScores(NamedTuple):
    """A batch's CRF scores in its flat layout, the morpheme id at each row (0 on padding) and the tables
    whose numbering those ids follow (`_ScoreTables.numbering`)."""

    scores: np.ndarray
    morpheme_ids: np.ndarray
    layout: _FlatLayout
    tables: _ScoreTables


class _ScoreTables:
    """One model's summed weights, interned: each morpheme's five views (`FeatureBuilder._views`) as a
    (5 x labels) block, each neighbour pair's two summed vectors and each eojeol's three. Id 0 is the
    padding (zeros)."""

    def __init__(self, weights: CrfWeights) -> None:
        self.weights = weights
        self.morpheme_ids: dict[tuple[str, str], int] = {}
        # view-major (5 x morphemes x labels): each view's rows are one contiguous table for np.take
        self.views = np.zeros((5, 1024, weights.size))
        self.morpheme_keys: list[tuple[str, str]] = [("", "")]  # by id
        self.pairs = _InternedVectors(PAIR_CACHE_LIMIT, weights, self._pair_rows, _pair_vectors)
        self.eojeols = _InternedVectors(EOJEOL_CACHE_LIMIT, weights, self._eojeol_rows, _eojeol_vectors)
        self.mark_rows: dict[str, list[tuple[int, int]]] = {}  # entity-form mark -> (row, shift)
        # Replaced whenever the ids are renumbered: what caches keyed by morpheme id compare against.
        self.numbering = object()

    def view_scores(
        self, forms: list[list[str]], tags: list[list[str]], builder: FeatureBuilder
    ) -> tuple[np.ndarray, np.ndarray]:
        """Flat (positions x labels) scores: each token's own view plus its neighbours' -2..+2 views;
        and the flat morpheme ids (0 on padding)."""
        if len(self.morpheme_ids) > MORPHEME_CACHE_LIMIT:
            self.morpheme_ids.clear()
            del self.morpheme_keys[1:]
            self.numbering = object()
            self.pairs.ids.clear()  # pairs are keyed by morpheme ids
        ids = self.morpheme_ids
        flat = [0] * BATCH_PADDING
        fresh: list[tuple[str, str]] = []
        for text_forms, text_tags in zip(forms, tags, strict=True):
            # the lookups in C over zip's reused pairs; only a text with a new morpheme builds its keys
            text_ids = list(map(ids.get, zip(text_forms, text_tags, strict=True)))
            if None in text_ids:
                text_ids = _intern(ids, list(zip(text_forms, text_tags, strict=True)), fresh.append)
            flat += text_ids
            flat += _PADDING
        if fresh:
            self.morpheme_keys += fresh
            self._add_views(fresh, builder)
        index = np.array(flat, np.int64)
        # np.take of whole contiguous rows: several times cheaper than fancy indexing into the views
        own, before, before2, after, after2 = self.views
        scores = own.take(index, axis=0)
        scores[1:] += before.take(index[:-1], axis=0)
        scores[2:] += before2.take(index[:-2], axis=0)
        scores[:-1] += after.take(index[1:], axis=0)
        scores[:-2] += after2.take(index[2:], axis=0)
        return scores, index

    def _add_views(self, fresh: list[tuple[str, str]], builder: FeatureBuilder) -> None:
        """Sum the views of new morphemes (ids len(ids) - len(fresh) + 1 ...) in one vectorised pass."""
        end = len(self.morpheme_ids) + 1
        first = end - len(fresh)
        lists = [view for form, tag in fresh for view in builder.view_features(form, tag)]
        vectors = self.weights.sum_rows_many(lists).reshape(len(fresh), 5, self.weights.size)
        while self.views.shape[1] < end:
            self.views = np.concatenate([self.views, np.zeros_like(self.views)], axis=1)
        self.views[:, first:end] = vectors.transpose(1, 0, 2)

    def add_pair_scores(self, scores: np.ndarray, morpheme_ids: np.ndarray) -> None:
        """Neighbour-pair features: per (left, right) morpheme pair, two rows for the right token (-1t|t,
        -1w|w) and two for the left one (t|+1t, w|+1w). A pair is keyed by its two morpheme ids as one
        integer, so only the batch's distinct pairs are looked up; a pair with padding has no features."""
        self.pairs.start_batch()
        keys = morpheme_ids[:-1] * _PAIR_KEY_BASE + morpheme_ids[1:]
        distinct, inverse = np.unique(keys, return_inverse=True)
        pair_ids = np.array(self.pairs.ids_of(distinct.tolist()), np.intp)
        vectors = self.pairs.table().take(pair_ids[inverse], axis=0)
        scores[1:] += vectors[:, 0]
        scores[:-1] += vectors[:, 1]

    def _pair_rows(self, pair_key: int) -> tuple[int, ...]:
        left, right = divmod(pair_key, _PAIR_KEY_BASE)
        get, zero = self.weights.index.get, self.weights.zero_row
        if not (left and right):
            return (zero,) * 4
        (left_form, left_tag), (form, tag) = self.morpheme_keys[left], self.morpheme_keys[right]
        return (
            get("-1t|t=" + left_tag + "|" + tag, zero),
            get("-1w|w=" + left_form + "|" + form, zero),
            get("t|+1t=" + left_tag + "|" + tag, zero),
            get("w|+1w=" + left_form + "|" + form, zero),
        )

    def add_eojeol_scores(
        self, scores: np.ndarray, columns: Sequence[TokenColumns], texts: Sequence[str], layout: _FlatLayout
    ) -> None:
        """Eojeol features: its text on every token, and on every token but the last the closing morpheme
        (eoendw) and its tag (eoend, "+" when more tokens follow); then the eojeol flags. Each distinct
        (text, closing form, closing tag) is interned to its four rows; tokens take theirs by numpy."""
        self.eojeols.start_batch()
        # The flat layout as segments: the padding (id 0, whose vectors are zeros), then each eojeol of
        # a text, then padding again.
        ids: list[int] = [0]
        for text_columns, text in zip(columns, texts, strict=True):
            starts, stops, forms, tags = text_columns.starts, text_columns.ends, text_columns.forms, text_columns.tags
            bounds = text_columns.eojeols
            ids += self.eojeols.ids_of(
                [
                    (text[starts[a] : stops[b - 1]], forms[b - 1], tags[b - 1])
                    for a, b in zip(bounds, bounds[1:], strict=False)
                ]
            )
            ids.append(0)
        # a text's bounds, laid out, start its eojeols and (its token count) the padding after it
        flat_bounds, is_first, is_last = _flat_eojeol_bounds(columns, np.array(layout.offsets))
        segment_starts = np.concatenate([np.zeros(1, np.intp), flat_bounds])
        segment_sizes = np.diff(segment_starts, append=layout.size)
        segment_ends = segment_starts + segment_sizes
        # which of its eojeol's three vectors a position takes: 0 the closing token, 1 the one before, 2 others
        to_end = np.repeat(segment_ends, segment_sizes) - np.arange(layout.size)
        variant = np.minimum(to_end, 3) - 1
        table = self.eojeols.table()
        flat_table = table.reshape(-1, table.shape[2])  # row id * 3 + variant
        scores += flat_table.take(np.repeat(np.array(ids, np.intp) * 3, segment_sizes) + variant, axis=0)
        flag = self.weights.flag_rows
        scores[flat_bounds[~is_last]] += flag["eostart"]
        later = flat_bounds[~(is_first | is_last)]  # eojeols after a text's first
        if len(later):
            scores[later] += flag["sp"]
            scores[later - 1] += flag["sp+"]

    def add_mark_rows(
        self, marks: tuple[list[str], list[str]], offset: int, rows: list[int], positions: list[int]
    ) -> None:
        """Append the (weight row, flat position) of each lexicon-run and entity-form feature the model knows;
        an entity-form mark also reaches its neighbours (-1efk on the next token, +1efk on the previous).
        Each distinct mark's rows are looked up once."""
        lexicon_marks, form_marks = marks
        count = len(lexicon_marks)
        get = self.weights.index.get
        for i in compress(range(count), lexicon_marks):
            row = get(lexicon_marks[i])
            if row is not None:
                rows.append(row)
                positions.append(offset + i)
        mark_rows = self.mark_rows
        for i in compress(range(count), form_marks):
            mark = form_marks[i]
            known = mark_rows.get(mark)
            if known is None:
                known = mark_rows[mark] = self._form_mark_rows(mark)
            for row, shift in known:
                if 0 <= i + shift < count:
                    rows.append(row)
                    positions.append(offset + i + shift)

    def _form_mark_rows(self, mark: str) -> list[tuple[int, int]]:
        """(weight row, shift from the marked token) of an entity-form mark's features the model knows."""
        get = self.weights.index.get
        features = (("ef=" + mark, 0), ("efk=" + mark[:4], 0), ("-1efk=" + mark[:4], 1), ("+1efk=" + mark[:4], -1))
        return [(get(feature), shift) for feature, shift in features if get(feature) is not None]

    def _eojeol_rows(self, eojeol: tuple[str, str, str]) -> tuple[int, ...]:
        word, closing_form, closing_tag = eojeol
        get, zero = self.weights.index.get, self.weights.zero_row
        return (
            get("eo=" + word, zero),
            get("eoendw=" + closing_form, zero),
            get("eoend=" + closing_tag, zero),
            get("eoend=" + closing_tag + "+", zero),
        )


def _flat_eojeol_bounds(
    columns: Sequence[TokenColumns], offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every text's eojeol bounds (`TokenColumns.eojeols`) as flat rows, text i's tokens at rows offsets[i]...;
    and which are a text's first bound and which its last (its token count: the row after its last token)."""
    bounds = [text_columns.eojeols for text_columns in columns]
    sizes = [len(text_bounds) for text_bounds in bounds]
    flat_bounds = np.concatenate(bounds) + np.repeat(offsets, sizes)
    text_last = np.cumsum(sizes) - 1
    is_last = np.zeros(len(flat_bounds), bool)
    is_last[text_last] = True
    is_first = np.zeros(len(flat_bounds), bool)
    is_first[text_last[:-1] + 1] = True
    is_first[0] = True
    return flat_bounds, is_first, is_last


def _intern(ids: dict, keys: list, on_new: Callable[[Any], object]) -> list[int]:
    """Each key's id in `ids`, a key seen for the first time getting the next id (ids start at 1: 0 is the
    padding) and passed to `on_new`, in order of first appearance."""
    found = list(map(ids.get, keys))  # the lookups in C; None where the key is new
    if None in found:
        for position, key in enumerate(keys):
            if found[position] is None:
                row = ids.get(key)
                if row is None:
                    on_new(key)
                    row = ids[key] = len(ids) + 1
                found[position] = row
    return found


class _InternedVectors:
    """Keys interned to ids 1.., each with the summed weight vectors of its features (id 0: zeros, for
    padding), kept as one (ids x vectors x labels) array so a batch's vectors are one gather; emptied when
    more than `limit` keys are held. `rows_of(key)`: the key's feature rows; `combine(weights, rows)`:
    the vectors of many keys' rows at once."""

    def __init__(
        self,
        limit: int,
        weights: CrfWeights,
        rows_of: Callable[[Any], tuple[int, ...]],
        combine: Callable[[CrfWeights, np.ndarray], np.ndarray],
    ) -> None:
        self.limit = limit
        self.weights = weights
        self.rows_of = rows_of
        self.combine = combine
        self.ids: dict[Any, int] = {}
        self.vectors = combine(weights, np.full((1024, 4), weights.zero_row, np.intp))
        self.fresh: list[tuple[int, ...]] = []

    def start_batch(self) -> None:
        if len(self.ids) > self.limit:
            self.ids.clear()

    def ids_of(self, keys: list) -> list[int]:
        return _intern(self.ids, keys, lambda key: self.fresh.append(self.rows_of(key)))

    def table(self) -> np.ndarray:
        """The vectors by id, with this batch's new keys summed in (they hold the last len(fresh) ids)."""
        if self.fresh:
            end = len(self.ids) + 1
            while len(self.vectors) < end:
                self.vectors = np.concatenate([self.vectors, np.zeros_like(self.vectors)])
            self.vectors[end - len(self.fresh) : end] = self.combine(self.weights, np.array(self.fresh, np.intp))
            self.fresh = []
        return self.vectors


def _pair_vectors(weights: CrfWeights, rows: np.ndarray) -> np.ndarray:
    """A neighbour pair's two vectors: the right token's (-1t|t + -1w|w), the left token's (t|+1t + w|+1w)."""
    state = weights.padded_state
    return np.stack([state[rows[:, 0]] + state[rows[:, 1]], state[rows[:, 2]] + state[rows[:, 3]]], axis=1)


def _eojeol_vectors(weights: CrfWeights, rows: np.ndarray) -> np.ndarray:
    """An eojeol's three vectors, eo + (eoend + eoendw) summed in that order as per token before: on its
    closing token (no closing features), on the token before it (eoend=tag), on earlier ones (eoend=tag+)."""
    state = weights.padded_state
    word, closing = state[rows[:, 0]], state[rows[:, 1]]
    nothing = state[np.full(len(rows), weights.zero_row)]
    return np.stack(
        [word + (nothing + nothing), word + (state[rows[:, 2]] + closing), word + (state[rows[:, 3]] + closing)],
        axis=1,
    )


def spans_to_labels(tokens: Sequence[TokenLike], spans: set[tuple[int, int, str]]) -> list[str]:
    """BIO label per token from gold character spans: a token belongs to the span holding its start."""
    labels = ["O"] * len(tokens)
    for start, end, kind in spans:
        if kind not in LABEL_TYPES:
            continue
        first = True
        for i, token in enumerate(tokens):
            if start <= token.start < end:
                labels[i] = ("B-" if first else "I-") + kind
                first = False
    return labels


def labels_to_spans(tokens: Sequence[TokenLike] | TokenColumns, labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """Character spans (start, end, kind) from BIO token labels."""
    spans: list[tuple[int, int, str]] = []
    if labels.count("O") == len(labels):
        return spans  # no entity: the tokens need not be read
    columns = token_columns(tokens)
    open_kind: str | None = None
    span_start = span_end = 0
    for start, end, label in zip(columns.starts, columns.ends, labels, strict=True):
        if label == "O":
            if open_kind:
                spans.append((span_start, span_end, open_kind))
            open_kind = None
            continue
        prefix, kind = label[0], label[2:]
        if prefix == "I" and kind == open_kind:
            span_end = max(span_end, end)
            continue
        if open_kind:
            spans.append((span_start, span_end, open_kind))
        open_kind, span_start, span_end = kind, start, end
    if open_kind:
        spans.append((span_start, span_end, open_kind))
    return spans
