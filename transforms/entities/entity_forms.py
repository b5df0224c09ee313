"""The typed entity-form lexicon: names KLUE's training split tags as PS, OG or LC, with how often
each form, where it appears in the training text, is tagged so (built by training/train_entities.py).
Rows with no hits are everyday words: one-token common nouns and Latin words the training text uses
outside any name (DNA, 호텔), which a tagger's one-token "name" should not be.

A name is matched as the longest run of tokens whose forms, joined without spaces, spell it
(삼성 + 전자 -> 삼성전자), so the lookup works whether Kiwi keeps the name whole or splits it.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from itertools import compress
from pathlib import Path

from transforms.entities.gazetteer import DATA_DIR

ENTITY_FORMS_PATH = DATA_DIR / "entities.forms.tsv.gz"
# Longest run of tokens joined to spell one lexicon name.
MAX_FORM_TOKENS = 6
# Tags a token of a name can carry: nouns, foreign words, numbers, affixes (중소벤처기업+부).
_NAME_TAGS = frozenset(("NNP", "NNG", "NNB", "NR", "SL", "SN", "SH", "XSN", "XPN", "SO", "NP"))
KINDS = ("PS", "OG", "LC")


def rate_band(hits: int, seen: int) -> str:
    """How reliably a form is an entity where it appears: hi (most times), mid, lo (rarely)."""
    rate = hits / seen if seen else 1.0
    if rate >= 0.6:
        return "hi"
    return "mid" if rate >= 0.25 else "lo"


class EntityForms:
    """form (spaces removed) -> (kind, band) for the forms the lexicon types."""

    def __init__(self, entries: dict[str, tuple[str, str]], plain: frozenset[str] = frozenset()) -> None:
        self.entries = entries
        # forms the training text uses only outside names (no entry of their own)
        self.plain = plain
        # the forms typed as places: a text's tokens are tested against them in one C-level scan
        self.places = frozenset(form for form, (kind, _) in entries.items() if kind == "LC")
        # Every character prefix of a form: the token run stops growing once it spells none.
        prefixes: set[str] = set()
        for form in entries:
            for size in range(1, len(form) + 1):
                prefixes.add(form[:size])
        self._prefixes = frozenset(prefixes)

    @classmethod
    def from_counts(cls, counts: dict[str, list[int]], min_hits: int = 1) -> EntityForms:
        """counts: form -> [PS hits, OG hits, LC hits, times seen in text]."""
        entries: dict[str, tuple[str, str]] = {}
        plain: set[str] = set()
        for form, (ps, og, lc, seen) in counts.items():
            hits = (ps, og, lc)
            best = max(range(3), key=hits.__getitem__)
            if hits[best] >= min_hits:
                entries[form] = (KINDS[best], rate_band(sum(hits), max(seen, sum(hits))))
            elif not any(hits) and seen:
                plain.add(form)
        return cls(entries, frozenset(plain))

    def marks(self, forms: list[str], tags: list[str]) -> list[str]:
        """Per token "B-OG-hi"/"I-OG-hi"-style marks from greedy longest lexicon matches, else ""."""
        count = len(forms)
        marks = [""] * count
        prefixes, entries = self._prefixes, self.entries
        resume = 0  # after a match, the next one starts past its end
        for i in compress(range(count), map(prefixes.__contains__, forms)):  # the scan runs in C
            if i < resume or tags[i] not in _NAME_TAGS:
                continue
            joined = ""
            best_end, best = -1, None
            for j in range(i, min(count, i + MAX_FORM_TOKENS)):
                if j > i and tags[j] not in _NAME_TAGS:
                    break
                joined += forms[j]
                if joined not in prefixes:
                    break
                entry = entries.get(joined)
                if entry is not None:
                    best_end, best = j, entry
            if best is None:
                continue
            kind, band = best
            marks[i] = f"B-{kind}-{band}"
            for k in range(i + 1, best_end + 1):
                marks[k] = f"I-{kind}-{band}"
            resume = best_end + 1
        return marks


def forms_path_for(model_path: Path) -> Path:
    """A model's lexicon sits beside it (entities.crfsuite -> entities.forms.tsv.gz): the model was
    trained with that lexicon's marks, so the two travel together."""
    return model_path.with_name(model_path.name.split(".")[0] + ".forms.tsv.gz")


_loaded: dict[Path, EntityForms] = {}


def load_entity_forms(path: Path = ENTITY_FORMS_PATH) -> EntityForms:
    """A lexicon (read once per process); an empty one for a model trained without it."""
    forms = _loaded.get(path)
    if forms is None:
        forms = _loaded[path] = EntityForms.from_counts(read_counts(path)) if path.exists() else EntityForms({})
    return forms


def write_counts(path: Path, counts: dict[str, list[int]]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write("# form\tPS\tOG\tLC\tseen (KLUE-NER v1.1 train; CC BY-SA 4.0)\n")
        for form in sorted(counts):
            out.write(form + "\t" + "\t".join(str(value) for value in counts[form]) + "\n")


def read_counts(path: Path = ENTITY_FORMS_PATH) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            form, *values = line.rstrip("\n").split("\t")
            counts[form] = [int(value) for value in values]
    return counts


# Kiwi tags of the one-token words an everyday-word row can hold: common nouns and Latin words.
PLAIN_TAGS = frozenset(("NNG", "SL"))


def add_plain_words(
    counts: dict[str, list[int]],
    docs: Iterable[tuple[str, set[tuple[int, int, str]]]],
    tokenized: Iterable[Iterable[tuple[str, str, int, int]]],
) -> None:
    """Adds a no-hit row (times seen as its count) for each common noun or Latin word (form, tag, start, end)
    the texts use outside every PS/OG/LC span, unless `counts` holds the form already (as a name)."""
    plain: dict[str, int] = {}
    for (_text, spans), tokens in zip(docs, tokenized, strict=True):
        named = [(start, end) for start, end, kind in spans if kind in KINDS]
        for form, tag, start, end in tokens:
            if tag in PLAIN_TAGS and form not in counts and not any(s < end and start < e for s, e in named):
                plain[form] = plain.get(form, 0) + 1
    for form, seen in plain.items():
        counts[form] = [0, 0, 0, seen]


def count_forms(
    docs: Iterable[tuple[str, set[tuple[int, int, str]]]], tokenized: Iterable[tuple[list[str], list[str]]]
) -> dict[str, list[int]]:
    """Gold entity forms per kind, then how often each is spelled by a token run in the same texts."""
    docs = list(docs)
    counts: dict[str, list[int]] = {}
    for text, spans in docs:
        for start, end, kind in spans:
            if kind in KINDS:
                form = text[start:end].replace(" ", "")
                counts.setdefault(form, [0, 0, 0, 0])[KINDS.index(kind)] += 1
    lexicon = EntityForms({form: ("PS", "hi") for form in counts})
    for forms, tags in tokenized:
        # Count each matched run once, rebuilding its form from the marks.
        joined = ""
        for form, mark in zip(forms, lexicon.marks(forms, tags), strict=True):
            if mark.startswith("B-"):
                if joined:
                    counts[joined][3] += 1
                joined = form
            elif mark.startswith("I-"):
                joined += form
            elif joined:
                counts[joined][3] += 1
                joined = ""
        if joined:
            counts[joined][3] += 1
    return counts
