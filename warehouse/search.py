"""The search index in the warehouse: terms written with every load, built once for articles stored without
them, and ranked search (BM25 in SQL: `search_bm25` in warehouse/migrations/0008_search_index.sql, split in
0010_search_vocab_lookup.sql: this module ranks by term numbers with `search_bm25_ids`).

Tables (0008): `search_docs` (article -> doc_id, field lengths), `search_vocab` (term -> term_id),
`search_terms` (one row per term in a field of an article, with positions and character offsets) and
`search_pending` (articles whose terms are still to be built). Only the loads of new or changed
articles touch them, so a batch costs work in proportion to the batch, never to the archive.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import chain
from typing import Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from transforms.collector import paused_collector
from transforms.terms import ArticleTerms, ParsedQuery, batch_terms, phrase_found, snippet

SEARCH_MIGRATION = 8
LOAD_SQL = "search_load.sql"
ROWS_SQL = "search_load_rows.sql"
REORDER_SQL = "search_reorder_postings.sql"
# search_postings is rewritten in term order (REORDER_SQL) whenever it has grown by this factor since the last
# rewrite: at most a fifth of its rows are then out of term order, and each appended row is copied about
# 1 / (growth - 1) + 1 = 5 times over its life, so a load's share of the rewrites stays in proportion to it.
POSTINGS_REORDER_GROWTH = 1.25
# Smaller tables are a few vectors read whole whatever their order: never rewritten.
POSTINGS_REORDER_MIN_ROWS = 10_000
FIELDS = ("title", "body")
# Articles tokenized per transaction when the index is built for stored articles (upgrade, or loads
# that came without terms): an interrupted build keeps every finished batch.
BUILD_BATCH = 256
PROGRESS_EVERY_SECONDS = 2.0


class Store(Protocol):
    """What this module needs of a warehouse.Warehouse (which imports this module, not the reverse)."""

    con: Any

    def transaction(self) -> AbstractContextManager[None]: ...

    def write_search_terms(
        self, article_ids: Sequence[str], terms: Mapping[str, ArticleTerms], *, unstored: Collection[str] = ()
    ) -> None: ...


@cache  # read once per process, as warehouse.store._sql
def _query(name: str) -> str:
    return resources.files("warehouse").joinpath("sql", "search", name).read_text(encoding="utf-8")


# -- writing ------------------------------------------------------------------------------------------------


def write_terms(
    con: Any,
    article_ids: Sequence[str],
    terms: Mapping[str, ArticleTerms],
    statements: Sequence[str],
    row_statements: Sequence[str],
    reorder_statements: Sequence[str] = (),
    unstored: Collection[str] = (),
) -> None:
    """Replace the index rows of `article_ids` (new or changed articles) by their `terms`; those without
    terms leave the index and wait in search_pending. `statements` (LOAD_SQL) number the new documents and
    terms, `row_statements` (ROWS_SQL) insert the numbered term rows. Then, when due, `reorder_statements`
    rewrite the posting rows in term order. `unstored` are those of `article_ids` that were not stored
    before this load, so the index cannot hold them: they are not looked up. Runs inside the caller's
    transaction."""
    rows_before = postings_rows(con)
    _write_rows(con, article_ids, terms, statements, row_statements, unstored)
    reorder_postings_if_due(con, rows_before, reorder_statements)


def reorder_postings_if_due(con: Any, rows_before: int, reorder_statements: Sequence[str]) -> bool:
    """Rewrite search_postings in term order (REORDER_SQL's statements) if it grew past a reorder point since
    it had `rows_before` rows; whether it did."""
    if not reorder_statements or not postings_reorder_due(rows_before, postings_rows(con)):
        return False
    for statement in reorder_statements:
        con.execute(statement)
    return True


def postings_rows(con: Any) -> int:
    return con.execute("SELECT count(*) FROM search_postings").fetchall()[0][0]


def postings_reorder_due(rows_before: int, rows_after: int) -> bool:
    """Whether search_postings crossed a power of POSTINGS_REORDER_GROWTH (from POSTINGS_REORDER_MIN_ROWS up)
    while growing from `rows_before` to `rows_after` rows. Decided from the row counts alone, so the state
    of the table is whatever its loads made it, whichever process ran them."""
    return _growth_step(rows_after) > _growth_step(rows_before)


def _growth_step(rows: int) -> int:
    if rows < POSTINGS_REORDER_MIN_ROWS:
        return -1
    return int(math.log(rows / POSTINGS_REORDER_MIN_ROWS, POSTINGS_REORDER_GROWTH) + 1e-9)


def _write_rows(
    con: Any,
    article_ids: Sequence[str],
    terms: Mapping[str, ArticleTerms],
    statements: Sequence[str],
    row_statements: Sequence[str],
    unstored: Collection[str],
) -> None:
    batch = _batch_rows(article_ids, terms)
    stored = [article_id for article_id in article_ids if article_id not in unstored]
    con.register("search_changed", pa.table({"article_id": pa.array(stored, pa.string())}))
    try:
        # The load's one read of search_docs, for changed articles only: which of them the index holds. A
        # batch of new articles does not read it at all (at 50,000 articles the read cost 8-13 ms a load).
        held = dict(con.execute(_query("held_docs.sql")).fetchall()) if stored else {}
        indexed = batch.docs["article_id"].to_pylist()
        # New documents get the next numbers in article_id order: a batch loaded again after a crash gets the
        # same numbers.
        new = sorted(article_id for article_id in indexed if article_id not in held)
        last, waiting = con.execute(_query("batch_numbers.sql")).fetchone()
        numbers = held | {article_id: last + 1 + number for number, article_id in enumerate(new)}
        doc_ids = np.fromiter((numbers[article_id] for article_id in indexed), np.int32, len(indexed))
        held_flags = pa.array([article_id in held for article_id in indexed], pa.bool_())
        con.register(
            "incoming_search_docs",
            batch.docs.append_column("doc_id", pa.array(doc_ids)).append_column("held", held_flags),
        )
        with_terms = set(indexed)
        lists = {
            "stale_docs": sorted(held.values()),  # changed articles the index holds: their rows are replaced
            "dropped_docs": sorted(doc for article_id, doc in held.items() if article_id not in with_terms),
            "unindexed": [article_id for article_id in article_ids if article_id not in with_terms],
            "reindexed_docs": sorted(doc for article_id, doc in held.items() if article_id in with_terms),
            # those that waited for their terms (looked for only when some article waits)
            "waiting": [row[0] for row in con.execute(_query("waiting_docs.sql")).fetchall()] if waiting else [],
        }
        for statement in statements:
            named = {name: values for name, values in lists.items() if f"${name}" in statement}
            # A statement over a list this batch leaves empty has nothing to do: a batch of new articles, all
            # with terms (the pipeline's usual one), skips those for changed articles and for articles without
            # terms, each of which read the whole of search_docs or search_terms.
            if named and all(named.values()):
                con.execute(statement, named)
            elif not named:
                con.execute(statement)
        rows = _numbered_rows(con, batch, doc_ids)
        con.register("incoming_search_rows", rows)
        con.register("incoming_search_postings", _postings(rows))
        for statement in row_statements:
            con.execute(statement)
    finally:
        for name in ("search_changed", "incoming_search_docs", "incoming_batch_terms") + BATCH_TABLES:
            con.unregister(name)


# What _write_rows registers for ROWS_SQL beside the batch's own tables.
BATCH_TABLES = ("incoming_search_vocab", "incoming_search_rows", "incoming_search_postings")
# search_terms.field's values in sort order (rows sort by their index here, as by the value in DuckDB).
FIELD_NAMES = tuple(sorted(FIELDS))


@dataclass(slots=True)
class _BatchRows:
    """A batch's index rows as columns, before numbering: one row per term in a field of an article, in the
    order of the articles, their fields (FIELDS) and each field's terms; occurrences flat, in row order."""

    docs: pa.Table  # article_id, title_len, body_len of each article with terms, in batch order
    article: np.ndarray  # per row: its article's index in docs
    field: np.ndarray  # per row: its field's index in FIELD_NAMES
    terms: pa.Array  # per row: its term
    tf: np.ndarray  # per row: its number of occurrences
    occurrences: np.ndarray  # (position, start, end) per occurrence, one row's after another's


def _batch_rows(article_ids: Sequence[str], terms: Mapping[str, ArticleTerms]) -> _BatchRows:
    """The batch's rows as whole columns: the per-row and per-occurrence values are chained out of the terms'
    dicts into numpy in one pass each. Transposing each term's occurrences into three lists and converting
    those list by list took about 100 ms per 300 articles, most of the load's index work."""
    indexed = [article_id for article_id in article_ids if article_id in terms]
    per_field = [getattr(terms[article_id], name).terms for article_id in indexed for name in FIELDS]
    with paused_collector():  # a list per term and field: tens of thousands of containers
        occurrences = list(chain.from_iterable(found.values() for found in per_field))
        tf = np.fromiter(map(len, occurrences), np.int32, len(occurrences))
        flat = np.fromiter(chain.from_iterable(chain.from_iterable(occurrences)), np.int32, 3 * int(tf.sum()))
    pair = np.repeat(np.arange(len(per_field)), np.fromiter(map(len, per_field), np.int64, len(per_field)))
    field_index = np.array([FIELD_NAMES.index(name) for name in FIELDS], np.int8)
    docs = pa.table(
        {
            "article_id": pa.array(indexed, pa.string()),
            "title_len": pa.array([terms[article_id].title.length for article_id in indexed], pa.int32()),
            "body_len": pa.array([terms[article_id].body.length for article_id in indexed], pa.int32()),
        }
    )
    return _BatchRows(
        docs=docs,
        article=pair // len(FIELDS),
        field=field_index[pair % len(FIELDS)],
        terms=pa.array(list(chain.from_iterable(per_field)), pa.string()),
        tf=tf,
        occurrences=flat.reshape(-1, 3),
    )


def _batch_vocab(con: Any, terms: pa.Array) -> np.ndarray:
    """The term_id of each of the batch's distinct `terms`; registers those search_vocab lacks, with the next
    numbers in term order (a batch loaded again after a crash gets the same numbers), as incoming_search_vocab
    for ROWS_SQL. The vocabulary is read once, by a join: `NOT IN (SELECT term FROM search_vocab)` hashed the
    whole of it (108 ms a load at 1,000,000 terms), then a second join looked the numbers up."""
    con.register("incoming_batch_terms", pa.table({"term": terms}))
    known = con.execute(_query("batch_term_ids.sql")).to_arrow_table()
    known = pa.table({"term": known["term"].cast(pa.string()), "term_id": known["term_id"].cast(pa.int32())})
    new = terms.filter(pc.invert(pc.is_in(terms, value_set=known["term"])))
    new = new.take(pc.sort_indices(new))  # byte order, as DuckDB's ORDER BY term
    first = con.execute(_query("last_term_id.sql")).fetchone()[0] + 1
    added = pa.table({"term": new, "term_id": pa.array(range(first, first + len(new)), pa.int32())})
    con.register("incoming_search_vocab", added)
    vocab = pa.concat_tables([known, added])
    return vocab["term_id"].to_numpy()[pc.index_in(terms, value_set=vocab["term"]).to_numpy()]


# search_terms' order, which its doc_id pruning relies on (rows stored in doc_id order).
ROW_ORDER = ("doc_id", "term_id", "field")


def _numbered_rows(con: Any, batch: _BatchRows, doc_ids: np.ndarray) -> pa.Table:
    """The batch's term rows with doc_id and term_id (`doc_ids` per article of batch.docs), sorted as
    search_terms stores them (ROW_ORDER). The numbers are looked up once for the batch's own articles and
    distinct terms; joining the rows to search_docs and search_vocab in the inserts, and sorting them with
    their list columns, was most of the load's index cost. Rows are sorted on the integer keys, and the
    occurrences moved as whole runs, in numpy."""
    encoded = batch.terms.dictionary_encode()
    term_ids = _batch_vocab(con, encoded.dictionary)[encoded.indices.to_numpy()]
    docs = doc_ids[batch.article]
    order = np.lexsort((batch.field, term_ids, docs))  # the last key sorts first
    tf = batch.tf[order]
    offsets = np.zeros(len(tf) + 1, np.int32)
    np.cumsum(tf, out=offsets[1:])
    starts = np.zeros(len(batch.tf), np.int64)
    np.cumsum(batch.tf[:-1], out=starts[1:])
    # Occurrence k of sorted row i is occurrence (start of row order[i]) + k of the unsorted ones.
    moved = batch.occurrences[np.repeat(starts[order] - offsets[:-1], tf) + np.arange(offsets[-1])]
    offsets_array = pa.array(offsets)

    def lists(column: int) -> pa.ListArray:
        return pa.ListArray.from_arrays(offsets_array, pa.array(np.ascontiguousarray(moved[:, column])))

    return pa.table(
        {
            "doc_id": pa.array(docs[order], pa.int32()),
            "term_id": pa.array(term_ids[order], pa.int32()),
            "field": pa.array(FIELD_NAMES, pa.string()).take(pa.array(batch.field[order])),
            "tf": pa.array(tf, pa.int32()),
            "positions": lists(0),
            "starts": lists(1),
            "ends": lists(2),
        }
    )


POSTING = pa.struct([("doc_id", pa.int32()), ("title_tf", pa.int32()), ("body_tf", pa.int32())])


def _postings(rows: pa.Table) -> pa.Table:
    """The batch's posting rows from its numbered term rows: one per term, listing its articles in doc_id order
    with their title and body counts. Built in numpy: DuckDB's ordered list aggregate over the batch took most
    of the insert (about 48 ms per 200 articles), Arrow's group-by about 10."""
    if not len(rows):
        return pa.table({"term_id": pa.array([], pa.int32()), "postings": pa.array([], pa.list_(POSTING))})
    order = np.lexsort((rows["doc_id"].to_numpy(), rows["term_id"].to_numpy()))
    term_ids, doc_ids = rows["term_id"].to_numpy()[order], rows["doc_id"].to_numpy()[order]
    in_title = pc.equal(rows["field"], "title").to_numpy(zero_copy_only=False)[order]
    tf = rows["tf"].to_numpy()[order]
    # A term's title and body rows for one article are neighbours now: an entry starts where either changes.
    entry = np.flatnonzero(np.r_[True, (term_ids[1:] != term_ids[:-1]) | (doc_ids[1:] != doc_ids[:-1])])
    title_tf = np.add.reduceat(np.where(in_title, tf, 0), entry)
    body_tf = np.add.reduceat(np.where(in_title, 0, tf), entry)
    entry_terms = term_ids[entry]
    # Each term's entries are one run: a list starts where the term changes.
    firsts = np.flatnonzero(np.r_[True, entry_terms[1:] != entry_terms[:-1]])
    offsets = np.append(firsts, len(entry)).astype(np.int32)
    entries = pa.StructArray.from_arrays(
        [pa.array(values, pa.int32()) for values in (doc_ids[entry], title_tf, body_tf)], fields=list(POSTING)
    )
    return pa.table(
        {
            "term_id": pa.array(entry_terms[firsts], pa.int32()),
            "postings": pa.ListArray.from_arrays(pa.array(offsets), entries),
        }
    )


# -- building for stored articles ---------------------------------------------------------------------------


def source_keys(store: Store) -> set[str]:
    """The outlet keys the warehouse holds articles of (what --source may name)."""
    return {row[0] for row in store.con.execute(_query("sources.sql")).fetchall()}


def pending_count(con: Any) -> int:
    return con.execute("SELECT count(*) FROM search_pending").fetchall()[0][0]


def build_pending(
    store: Store, tokenize: Callable[[list[str]], list[list[Any]]] | None = None, *, quiet: bool = False
) -> int:
    """Build the terms of every article in search_pending (Kiwi over title and body, the analysis the
    pipeline's entity stage shares), BUILD_BATCH articles per transaction, with progress on stderr.
    Returns the number of articles indexed."""
    total = pending_count(store.con)
    if not total:
        return 0
    tokenize = tokenize or _kiwi_tokenize()
    done, said = 0, time.monotonic()
    _say(quiet, f"building the search index for {total:,} stored articles (once)")
    for batch in _pending_batches(store.con):
        ids = [row[0] for row in batch]
        tokens = tokenize([row[2] for row in batch] + [row[1] for row in batch])
        with store.transaction():
            store.write_search_terms(ids, dict(zip(ids, batch_terms(tokens, len(ids)), strict=True)))
        done += len(ids)
        if time.monotonic() - said >= PROGRESS_EVERY_SECONDS or done == total:
            said = time.monotonic()
            _say(quiet, f"search index: {done:,}/{total:,} articles")
    return done


def _pending_batches(con: Any) -> Iterator[list[tuple[str, str, str]]]:
    while True:
        batch = con.execute(
            "SELECT a.article_id, coalesce(a.title, ''), coalesce(a.body, '') FROM search_pending p "
            "JOIN articles a USING (article_id) ORDER BY a.article_id LIMIT ?",
            [BUILD_BATCH],
        ).fetchall()
        if not batch:
            # Pending rows whose article is gone have nothing to index.
            con.execute("DELETE FROM search_pending WHERE article_id NOT IN (SELECT article_id FROM articles)")
            return
        yield batch


def _kiwi_tokenize() -> Callable[[list[str]], list[list[Any]]]:
    # The entity stage's Kiwi (same user words and options): the stored terms equal what a load computes.
    from transforms.entities import get_extractor

    kiwi = get_extractor().kiwi
    return lambda texts: list(kiwi.tokenize(texts))


def _say(quiet: bool, message: str) -> None:
    if not quiet:
        print(f"newsetl: {message}", file=sys.stderr, flush=True)


# -- searching ----------------------------------------------------------------------------------------------


@dataclass(slots=True)
class SearchFilters:
    since: dt.date | None = None
    until: dt.date | None = None
    sources: Sequence[str] = ()
    entity: str | None = None
    match_all: bool = True


@dataclass(slots=True)
class SearchHit:
    """One story in the results: its earliest matching copy, with the number of stored copies."""

    score: float
    day: dt.date | None
    source: str
    title: str
    url: str
    copies: int
    snippet: str
    article_id: str


def search(store: Store, query: ParsedQuery, filters: SearchFilters, limit: int) -> list[SearchHit]:
    """Stories matching `query`, best first: BM25 in SQL, phrases checked on token positions, wire copies
    collapsed into their earliest matching copy (scored by the best of them)."""
    with _one_thread(store.con):
        return _ranked_hits(store, query, filters, limit)


@contextmanager
def _one_thread(con: Any) -> Iterator[None]:
    # A query's statements each touch thousands of rows: scheduling them over DuckDB's threads cost more CPU
    # than it saved (bench: CPU p50 63 -> 42 ms, wall p95 165 -> 125 ms on the 2 shared cores), so they run on
    # one, and the connection gets its own setting back.
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.execute("SET threads = 1")
    try:
        yield
    finally:
        con.execute(f"SET threads = {int(threads)}")


def _ranked_hits(store: Store, query: ParsedQuery, filters: SearchFilters, limit: int) -> list[SearchHit]:
    term_ids = dict(store.con.execute(_query("term_ids.sql"), {"terms": query.terms}).fetchall())
    if not term_ids:  # no query term in the index: nothing to rank
        return []
    matches = store.con.execute(
        _query("matches.sql"),
        {
            "term_ids": sorted(term_ids.values()),
            "term_count": len(set(query.terms)),
            "match_all": filters.match_all,
            "since": filters.since,
            "until": filters.until,
            "sources": list(filters.sources),
            "entity": filters.entity,
        },
    ).fetchall()
    if query.phrases and matches:
        matches = _with_phrases(store.con, query, term_ids, matches)
    links = dict(store.con.execute(_query("links.sql")).fetchall()) if matches else {}
    best: dict[str, tuple[float, Any, str]] = {}  # story -> (best score, earliest seen_at, that copy's id)
    for article_id, _, score, seen_at in matches:
        story_id = story_of(article_id, links)
        held = best.get(story_id)
        earliest = held is None or (seen_at, article_id) < (held[1], held[2])
        top = max(score, held[0]) if held else score
        best[story_id] = (top, seen_at, article_id) if earliest else (top, held[1], held[2])
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[1][2]))[: max(0, limit)]
    return _hits(store.con, term_ids, ranked, links)


def story_of(article_id: str, links: Mapping[str, str]) -> str:
    """The earliest stored copy of an article's story: its duplicate_of links followed to the end."""
    story = article_id
    for _ in range(MAX_LINK_STEPS):
        if story not in links:
            break
        story = links[story]
    return story


# Links point at earlier copies, so chains are short; this only bounds a broken (circular) one.
MAX_LINK_STEPS = 64
# Up to this many articles, their spans are read one constant doc_id at a time (each read skips to the
# article's own rows); more (a common phrase's candidates) are read in one pass over search_terms.
SPANS_ONE_BY_ONE = 100


# The list columns of search_terms each query reads: decoding them is most of a spans read, so phrases read
# only token positions and snippets only character offsets.
POSITIONS = "t.positions"
OFFSETS = "t.starts, t.ends"


def _spans(con: Any, doc_ids: Sequence[int], term_ids: Sequence[int], columns: str) -> list[tuple[Any, ...]]:
    """(doc_id, field, term_id, *columns) of these terms in these indexed articles; `columns` is POSITIONS
    or OFFSETS."""
    if not doc_ids or not term_ids:
        return []
    if len(doc_ids) > SPANS_ONE_BY_ONE:
        many = _query("spans_many.sql").replace("$columns", columns)
        return con.execute(many, {"term_ids": list(term_ids), "docs": list(doc_ids)}).fetchall()
    # Integer literals, not parameters: DuckDB prunes a scan by a constant it sees when planning.
    one = _query("spans.sql").strip().rstrip(";").replace("$columns", columns)
    one = one.replace("$term_ids", ", ".join(map(str, map(int, term_ids))))
    return con.execute(" UNION ALL ".join(f"({one.replace('$doc', str(int(doc)))})" for doc in doc_ids)).fetchall()


def _with_phrases(
    con: Any, query: ParsedQuery, term_ids: Mapping[str, int], matches: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """The matches holding every phrase of the query within one field."""
    wanted = {term_ids[term] for phrase in query.phrases for term in phrase.terms if term in term_ids}
    terms_of = {term_id: term for term, term_id in term_ids.items()}
    fields: dict[tuple[int, str], dict[str, list[int]]] = {}
    for doc_id, field_name, term_id, positions in _spans(con, [row[1] for row in matches], sorted(wanted), POSITIONS):
        fields.setdefault((doc_id, field_name), {})[terms_of[term_id]] = positions
    keep = {
        doc_id
        for doc_id in (row[1] for row in matches)
        if all(any(phrase_found(fields.get((doc_id, f), {}), phrase) for f in FIELDS) for phrase in query.phrases)
    }
    return [row for row in matches if row[1] in keep]


def _hits(
    con: Any,
    term_ids: Mapping[str, int],
    ranked: list[tuple[str, tuple[float, Any, str]]],
    links: Mapping[str, str],
) -> list[SearchHit]:
    if not ranked:
        return []
    ids = [shown for _, (_, _, shown) in ranked]
    rows = {row[0]: row for row in con.execute(_query("shown.sql").replace("$ids", _literals(ids))).fetchall()}
    stories = [story for story, _ in ranked]
    # Most stories have one copy: walk the copy chains only when some shown story has any. `links` (every
    # link to a stored article) already says which do, without another scan of articles.
    linked = not set(stories).isdisjoint(links.values())
    copies = dict(con.execute(_query("copies.sql"), {"stories": stories}).fetchall()) if linked else {}
    terms_of = {term_id: term for term, term_id in term_ids.items()}
    spans: dict[tuple[int, str], list[tuple[int, int, str]]] = {}
    shown_docs = [row[1] for row in rows.values()]
    for doc_id, field_name, term_id, starts, ends in _spans(con, shown_docs, list(terms_of), OFFSETS):
        found = spans.setdefault((doc_id, field_name), [])
        found += [(start, end, terms_of[term_id]) for start, end in zip(starts, ends, strict=True)]
    hits = []
    for story, (score, _, shown) in ranked:
        _, doc_id, title, source, day, url, body = rows[shown]
        body_spans, title_spans = spans.get((doc_id, "body"), []), spans.get((doc_id, "title"), [])
        # Around the best match in the body; a match in the title only shows the marked title.
        text = snippet(body, body_spans) if body_spans or not title_spans else snippet(title, title_spans)
        hits.append(SearchHit(round(score, 4), day, source, title, url, copies.get(story, 1), text, shown))
    return hits


def _literals(values: Sequence[str]) -> str:
    """SQL string literals, quotes doubled (for the few queries that need constants, not parameters)."""
    return ", ".join("'" + value.replace("'", "''") + "'" for value in values)
