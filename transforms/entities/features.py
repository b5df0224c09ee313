"""CRF features over Kiwi tokens, and BIO labels <-> character spans.

One item per Kiwi token. Features are per token, not per character, so the Python work stays
a small fraction of Kiwi's own analysis time; per-form strings are memoised across texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

from transforms.entities.entity_forms import EntityForms, load_entity_forms
from transforms.entities.gazetteer import Gazetteer

LABEL_TYPES = ("PS", "OG", "LC")
# Which cluster granularity the neighbouring tokens contribute (0 = coarsest; see build_clusters.LEVELS).
NEIGHBOUR_CLUSTER_LEVEL = 2
# Longest run of noun tokens joined to look a name up in the typed lexicon (로잔나 + 포데스타).
LEXICON_SPAN_TOKENS = 4


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


# Country initials that Kiwi keeps as one noun but KLUE tags one syllable each: 한미 -> 한 + 미.
_INITIALS = frozenset("한남북미중일러")
# Names made of those syllables that are one place, not a pair.
_NOT_PAIRS = frozenset(("남한", "북한", "남미", "중남미", "한남"))
_DOTS = frozenset("·ㆍᆞ・")
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


def split_compounds(tokens: Sequence[TokenLike]) -> Sequence[TokenLike]:
    """Tokens with 한미/남북-style initial pairs and dotted nouns (한·미) split into their parts.

    Returns the input sequence itself when nothing needs splitting (the common case), so the
    per-text cost is one set lookup per token.
    """
    split: list[TokenLike] | None = None
    for index, token in enumerate(tokens):
        form = token.form
        if not (token.tag == "NNP" and _is_compound(form)) and form not in _SIDE_WORDS and not _is_surname_word(form):
            if split is not None:
                split.append(token)
            continue
        if split is None:
            split = list(tokens[:index])
        split.extend(_pieces(token))
    return tokens if split is None else split


def _is_surname_word(form: str) -> bool:
    return len(form) == 2 and form[1] in _AFTER_SURNAME and form[0] in SURNAMES


def _has_dot(form: str) -> bool:
    return any(char in _DOTS for char in form)


def _pieces(token: TokenLike) -> list[PieceToken]:
    form, start = token.form, token.start
    if form in _SIDE_WORDS or _is_surname_word(form):  # 북측 -> 북 + 측, 박씨 -> 박 + 씨
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

    def _views(self, form: str, tag: str) -> tuple[list[str], ...]:
        """A token's own features and its features as the -1, -2, +1 and +2 neighbour (memoised)."""
        key = (form, tag)
        views = self._view_cache.get(key)
        if views is not None:
            return views
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
        views = (self._own_features(form, tag), as_prev, ["-2t=" + tag, "-2w=" + form], as_next, as_next2)
        self._view_cache[key] = views
        return views

    def _cue_of(self, form: str) -> str:
        cue = self._cue.get(form)
        if cue is None:
            cue = self._lexicon.get(form, "")
            self._cue[form] = cue
        return cue

    def _lexicon_spans(self, forms: list[str], tags: list[str]) -> list[str]:
        """B/I marks where 2-4 consecutive noun tokens spell a lexicon name (Kiwi split 공태광 or
        the text spaced 로잔나 포데스타); a later match overrides the marks of an earlier one."""
        marks = [""] * len(forms)
        name_kinds = self._name_kinds
        for i, tag in enumerate(tags):
            if not tag.startswith("NN"):
                continue
            joined = forms[i]
            for j in range(i + 1, min(len(forms), i + LEXICON_SPAN_TOKENS)):
                if not (tags[j].startswith("NN") or tags[j] == "SL"):
                    break
                joined += forms[j]
                kind = _primary_kind(name_kinds.get(joined, ""))
                if kind:
                    marks[i] = "mks=B" + kind
                    for k in range(i + 1, j + 1):
                        marks[k] = "mks=I" + kind
        return marks

    def build(self, tokens: Sequence[TokenLike], text: str) -> list[list[str]]:
        forms = [token.form for token in tokens]
        tags = [token.tag for token in tokens]
        starts = [token.start for token in tokens]
        ends = [token.start + token.len for token in tokens]
        count = len(tokens)
        # Eojeol (space-separated word) pieces: the word's text and the tag that closes it (its particle).
        word_first = [0] * count
        word_last = [0] * count
        first = 0
        for i in range(1, count + 1):
            if i == count or starts[i] > ends[i - 1]:
                for j in range(first, i):
                    word_first[j] = first
                    word_last[j] = i - 1
                first = i
        # Every token's own features and its views as a neighbour come from per-(form, tag) caches, so
        # the loop only joins cached strings and builds the pair features.
        views = [self._views(form, tag) for form, tag in zip(forms, tags, strict=True)]
        lexicon_marks = self._lexicon_spans(forms, tags)
        form_marks = self._entity_forms.marks(forms, tags)
        form_kinds = [mark[:4] for mark in form_marks]
        items: list[list[str]] = []
        for i in range(count):
            form, tag = forms[i], tags[i]
            own = views[i]
            features = ["bias", *own[0]]
            last = word_last[i]
            features.append("eo=" + text[starts[word_first[i]] : ends[last]])
            if last > i:
                features.append("eoend=" + tags[last] + ("" if last == i + 1 else "+"))
                features.append("eoendw=" + forms[last])
            if word_first[i] == i:
                features.append("eostart")
            if lexicon_marks[i]:
                features.append(lexicon_marks[i])
            if form_marks[i]:
                features.append("ef=" + form_marks[i])
                features.append("efk=" + form_kinds[i])
            if i > 0 and form_kinds[i - 1]:
                features.append("-1efk=" + form_kinds[i - 1])
            if i + 1 < count and form_kinds[i + 1]:
                features.append("+1efk=" + form_kinds[i + 1])
            # Names Kiwi has never seen (공태광, 우로시다니) are guessed as NNP: +0.006 micro-F1 in CV.
            if tokens[i].oov:
                features.append("oov")
            if i == 0:
                features.append("BOS")
            else:
                features += views[i - 1][1]
                features.append("-1t|t=" + tags[i - 1] + "|" + tag)
                features.append("-1w|w=" + forms[i - 1] + "|" + form)
                if starts[i] > ends[i - 1]:
                    features.append("sp")
                if i > 1:
                    features += views[i - 2][2]
            if i == count - 1:
                features.append("EOS")
            else:
                next_form = forms[i + 1]
                features += views[i + 1][3]
                features.append("t|+1t=" + tag + "|" + tags[i + 1])
                features.append("w|+1w=" + form + "|" + next_form)
                if starts[i + 1] > ends[i]:
                    features.append("sp+")
                if i + 2 < count:
                    features += views[i + 2][4]
            items.append(features)
        return items


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


def labels_to_spans(tokens: Sequence[TokenLike], labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """Character spans (start, end, kind) from BIO token labels."""
    spans: list[tuple[int, int, str]] = []
    open_kind: str | None = None
    span_start = span_end = 0
    for token, label in zip(tokens, labels, strict=True):
        if label == "O":
            if open_kind:
                spans.append((span_start, span_end, open_kind))
            open_kind = None
            continue
        prefix, kind = label[0], label[2:]
        if prefix == "I" and kind == open_kind:
            span_end = max(span_end, token.start + token.len)
            continue
        if open_kind:
            spans.append((span_start, span_end, open_kind))
        open_kind, span_start, span_end = kind, token.start, token.start + token.len
    if open_kind:
        spans.append((span_start, span_end, open_kind))
    return spans
