"""CRF features over Kiwi tokens, and BIO labels <-> character spans.

One item per Kiwi token. Features are per token, not per character, so the Python work stays
a small fraction of Kiwi's own analysis time; per-form strings are memoised across texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from transforms.entities.gazetteer import Gazetteer

LABEL_TYPES = ("PS", "OG", "LC")


class TokenLike(Protocol):
    form: str
    tag: str
    start: int
    len: int


class FeatureBuilder:
    """Turns a token list into crfsuite feature lists, with memoised per-form pieces."""

    def __init__(self, gazetteer: Gazetteer) -> None:
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
        self._own: dict[tuple[str, str], list[str]] = {}
        self._cue: dict[str, str] = {}

    def _own_features(self, form: str, tag: str) -> list[str]:
        key = (form, tag)
        cached = self._own.get(key)
        if cached is not None:
            return cached
        features = ["w=" + form, "t=" + tag, "s1=" + form[-1], "p1=" + form[0], "n=" + str(min(len(form), 5))]
        if len(form) > 2:
            features.append("s2=" + form[-2:])
        gazetteer_class = self._lexicon.get(form)
        if gazetteer_class:
            features.append("gz=" + gazetteer_class)
        if tag.startswith("NN") and len(form) > 1:
            for suffix in self._suffixes:
                if form.endswith(suffix) and len(form) > len(suffix):
                    features.append("osuf=" + suffix)
                    break
        self._own[key] = features
        return features

    def _cue_of(self, form: str) -> str:
        cue = self._cue.get(form)
        if cue is None:
            cue = self._lexicon.get(form, "")
            self._cue[form] = cue
        return cue

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
        items: list[list[str]] = []
        for i in range(count):
            form, tag = forms[i], tags[i]
            features = ["bias", *self._own_features(form, tag)]
            last = word_last[i]
            features.append("eo=" + text[starts[word_first[i]] : ends[last]])
            if last > i:
                features.append("eoend=" + tags[last] + ("" if last == i + 1 else "+"))
                features.append("eoendw=" + forms[last])
            if word_first[i] == i:
                features.append("eostart")
            if i == 0:
                features.append("BOS")
            else:
                prev_tag = tags[i - 1]
                features += [
                    "-1w=" + forms[i - 1],
                    "-1t=" + prev_tag,
                    "-1t|t=" + prev_tag + "|" + tag,
                    "-1w|w=" + forms[i - 1] + "|" + form,
                ]
                if starts[i] > ends[i - 1]:
                    features.append("sp")
                if i > 1:
                    features += ["-2t=" + tags[i - 2], "-2w=" + forms[i - 2]]
            if i == count - 1:
                features.append("EOS")
            else:
                next_form, next_tag = forms[i + 1], tags[i + 1]
                features += [
                    "+1w=" + next_form,
                    "+1t=" + next_tag,
                    "t|+1t=" + tag + "|" + next_tag,
                    "w|+1w=" + form + "|" + next_form,
                ]
                cue = self._cue_of(next_form)
                if cue:
                    features.append("+1gz=" + cue)
                if starts[i + 1] > ends[i]:
                    features.append("sp+")
                if i + 2 < count:
                    features += ["+2t=" + tags[i + 2], "+2w=" + forms[i + 2]]
                    cue2 = self._cue_of(forms[i + 2])
                    if cue2 == "TITLE":
                        features.append("+2gz=TITLE")
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
