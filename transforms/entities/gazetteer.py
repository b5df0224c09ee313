"""Gazetteers and lexicons shipped beside the code as data files. Places, companies, institutions,
government bodies, titles and everyday terms that are not names are written by hand from general
knowledge, never from the evaluation data; the typed name lexicon and the morpheme clusters are derived
from other packages' data by the scripts under bench/ (see data/ATTRIBUTION.md)."""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
# Word clusters over Kiwi's CoNg morpheme embeddings (training/build_clusters.py), not hand-written.
CLUSTERS_PATH = DATA_DIR / "kiwi_clusters.tsv"
# Typed proper nouns from mecab-ko-dic (training/build_lexicon.py): form -> kinds, letters of P/L/N.
NAME_LEXICON_PATH = DATA_DIR / "name_lexicon.tsv.gz"


def read_lines(name: str) -> list[str]:
    """A shipped word list's entries (blank lines and # comments skipped)."""
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@cache
def person_titles() -> frozenset[str]:
    """The one-word titles (대표, 부사장, 장관...): what follows a person's name, and what a new post ends with."""
    return frozenset(title for title in read_lines("titles.txt") if " " not in title)


@dataclass(slots=True)
class Gazetteer:
    countries: frozenset[str]
    regions: frozenset[str]
    companies: frozenset[str]
    titles: frozenset[str]
    org_suffixes: tuple[str, ...]
    # short name -> full name (중기부 -> 중소벤처기업부), and every full name to itself
    org_aliases: dict[str, str] = field(default_factory=dict)
    # (form, Kiwi tag) -> the morpheme's cluster ids, coarse to fine
    clusters: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    # form -> "P" (person), "L" (place), "N" (other proper noun), or several of them ("LP")
    name_kinds: dict[str, str] = field(default_factory=dict)
    # everyday terms of IT and business news that are not names (GPU, LLM, 챗봇): a one-token "name" spelled so goes
    common_terms: frozenset[str] = frozenset()
    # public bodies, parties, media and universities (institutions.txt), which `companies` holds too
    institutions: frozenset[str] = frozenset()
    # companies and every ministry name, long or short: built once, since tagging looks names up in it
    organisations: frozenset[str] = field(init=False)
    # countries and regions: the known places, one set built once (rules ask it per mention and per text)
    places: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.organisations = self.companies | frozenset(self.org_aliases)
        self.places = self.countries | self.regions


def load_clusters(path: Path = CLUSTERS_PATH) -> dict[tuple[str, str], tuple[str, ...]]:
    """Morpheme clusters: form<TAB>tag<TAB>cluster id per level. The shipped model was trained with them,
    so a missing file is an error (a broken install), not a silent loss of accuracy."""
    clusters: dict[tuple[str, str], tuple[str, ...]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        form, tag, *ids = line.split("\t")
        clusters[(form, tag)] = tuple(ids)
    return clusters


def load_name_kinds(path: Path = NAME_LEXICON_PATH) -> dict[str, str]:
    """The typed name lexicon (form<TAB>kinds); like the clusters, required by the shipped model."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return dict(line.rstrip("\n").split("\t", 1) for line in lines)


def load_gazetteer() -> Gazetteer:
    """Read the shipped gazetteer files (done once per extractor)."""
    aliases: dict[str, str] = {}
    for line in read_lines("ministries.txt"):
        full, *shorts = line.split("\t")
        aliases[full] = full
        for short in shorts:
            aliases[short] = full
    suffixes = tuple(sorted(read_lines("org_suffixes.txt"), key=len, reverse=True))
    institutions = read_lines("institutions.txt")
    return Gazetteer(
        countries=frozenset(read_lines("countries.txt")),
        regions=frozenset(read_lines("regions.txt")),
        companies=frozenset(read_lines("companies.txt") + institutions),
        titles=person_titles(),
        org_suffixes=suffixes,
        org_aliases=aliases,
        clusters=load_clusters(),
        name_kinds=load_name_kinds(),
        common_terms=frozenset(read_lines("common_terms.txt")),
        institutions=frozenset(institutions),
    )
