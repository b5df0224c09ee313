"""Gazetteers shipped beside the code as text files: places, companies, institutions, government
bodies, titles. Written by hand from general knowledge, never from the evaluation data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def _read_lines(name: str) -> list[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@dataclass(slots=True)
class Gazetteer:
    countries: frozenset[str]
    regions: frozenset[str]
    companies: frozenset[str]
    titles: frozenset[str]
    org_suffixes: tuple[str, ...]
    # short name -> full name (중기부 -> 중소벤처기업부), and every full name to itself
    org_aliases: dict[str, str] = field(default_factory=dict)

    @property
    def organisations(self) -> frozenset[str]:
        return self.companies | frozenset(self.org_aliases)


def load_gazetteer() -> Gazetteer:
    """Read the shipped gazetteer files (done once per extractor)."""
    aliases: dict[str, str] = {}
    for line in _read_lines("ministries.txt"):
        full, *shorts = line.split("\t")
        aliases[full] = full
        for short in shorts:
            aliases[short] = full
    titles = frozenset(title for title in _read_lines("titles.txt") if " " not in title)
    suffixes = tuple(sorted(_read_lines("org_suffixes.txt"), key=len, reverse=True))
    return Gazetteer(
        countries=frozenset(_read_lines("countries.txt")),
        regions=frozenset(_read_lines("regions.txt")),
        companies=frozenset(_read_lines("companies.txt") + _read_lines("institutions.txt")),
        titles=titles,
        org_suffixes=suffixes,
        org_aliases=aliases,
    )
