"""Search index (issue 18) on sentences written for these tests: terms, query parsing, snippets, the index kept
by loads (an update replaces terms, a failed load leaves nothing behind), the upgrade build, ranking and the
CLI's one-line errors. Real Kiwi (the entity stage's), real DuckDB files; the mirror-wide checks are in
tests/test_search.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import warehouse.search as search_module
from newsetl import api
from transforms.entities import get_extractor
from transforms.records import CleanArticle
from transforms.terms import (
    MARK_CLOSE,
    MARK_OPEN,
    Phrase,
    article_terms,
    parse_query,
    phrase_found,
    query_parts,
    snippet,
    term_of,
)
from warehouse import Warehouse
from warehouse.search import SearchFilters, search

REPO = Path(__file__).resolve().parents[1]


def article(number: int, title: str, body: str, *, day: int = 20, duplicate_of: str | None = None) -> CleanArticle:
    return CleanArticle(
        article_id=f"{number:016x}",
        url=f"https://news.example.kr/article/{number}",
        source="bloter" if number % 2 else "zdnet",
        title=title,
        body=body,
        published_at=f"2026-11-{day:02d}T09:00:00+09:00",
        content_hash=f"hash-{number}-{len(body)}",
    )


def tagged(articles: list[CleanArticle]) -> tuple[list, list]:
    """Mentions and terms as the pipeline's entity stage makes them (one batched Kiwi call)."""
    mentions, tokens = get_extractor().extract_many_with_tokens(
        [a.body for a in articles], [a.published_at for a in articles], also_tokenize=[a.title for a in articles]
    )
    n = len(articles)
    return mentions, [article_terms(tokens[n + i], tokens[i]) for i in range(n)]


def load(store: Warehouse, articles: list[CleanArticle], run_id: str = "run-1", **kwargs) -> None:
    mentions, terms = tagged(articles)
    store.load_batch(run_id, articles, mentions, terms=terms, **kwargs)


def index_rows(store: Warehouse) -> list[tuple]:
    """The whole index by article and term (numbering aside), for comparing two warehouses."""
    docs = store.query("SELECT article_id, title_len, body_len FROM search_docs ORDER BY 1").rows
    terms = store.query(
        "SELECT d.article_id, v.term, t.field, t.tf, t.positions, t.starts, t.ends FROM search_terms t "
        "JOIN search_docs d USING (doc_id) JOIN search_vocab v USING (term_id) ORDER BY 1, 2, 3"
    ).rows
    # Posting lists, entry by entry (how loads grouped them into rows is not part of the index's content).
    postings = store.query(
        "SELECT d.article_id, v.term, p.title_tf, p.body_tf FROM "
        "(SELECT term_id, unnest(postings, recursive := true) FROM search_postings) p "
        "JOIN search_docs d USING (doc_id) JOIN search_vocab v USING (term_id) ORDER BY ALL"
    ).rows
    dangling = store.scalar(
        "SELECT count(*) FROM (SELECT unnest(postings, recursive := true) FROM search_postings) "
        "WHERE doc_id NOT IN (SELECT doc_id FROM search_docs)"
    )
    return docs + terms + postings + [("dangling postings", dangling)]


CHIP = article(1, "반도체 수출 역대 최대", "반도체를 만드는 기업들이 수출을 늘렸다. 정부는 반도체의 성장을 지원한다.")
CLOUD = article(2, "클라우드 시장 확대", "클라우드 기업이 AI 반도체를 샀다. 데이터센터 투자가 늘었다.")
ROBOT = article(3, "로봇 산업 동향", "로봇 기업이 인공지능 반도체 설계를 시작했다. 반도체 공장은 없다.")


def parsed(query: str):
    parts = query_parts(query)
    return parse_query(parts, [get_extractor().kiwi.tokenize(text) for text, _ in parts])


def test_terms_are_base_forms() -> None:
    assert term_of("반도체", "NNG") == term_of("반도체", "NNP") == "반도체"
    assert term_of("늘리", "VV") == "늘리다"
    assert term_of("듣", "VV-I") == "듣다"
    assert term_of("HBM", "SL") == "hbm"
    assert term_of("1,000", "SN") == "1000"
    assert term_of("를", "JKO") is None and term_of("다", "EF") is None
    # 반도체를, 반도체의, 반도체가: one term, whatever the particle
    for form in ("반도체를", "반도체의", "반도체가"):
        assert parsed(form).terms == ["반도체"]


def test_query_parts_and_phrases() -> None:
    assert query_parts('클라우드 "AI 반도체" 투자') == [("클라우드 ", False), ("AI 반도체", True), (" 투자", False)]
    assert query_parts('"열린 따옴표') == [(" 열린 따옴표", False)]
    query = parsed('"인공지능 반도체" 설계')
    assert query.terms == ["인공", "지능", "반도체", "설계"]  # Kiwi: 인공지능 = 인공 + 지능
    assert query.phrases == [Phrase(["인공", "지능", "반도체"], [0, 1, 2])]
    # unquoted, a word Kiwi splits stays one phrase; separate words do not
    assert parsed("인공지능 설계").phrases == [Phrase(["인공", "지능"], [0, 1])]
    # a particle between phrase words keeps its place: 삼성전자의 반도체 wants one token between them
    assert parsed('"로봇의 반도체"').phrases == [Phrase(["로봇", "반도체"], [0, 2])]
    assert phrase_found({"인공지능": [3, 9], "반도체": [10]}, Phrase(["인공지능", "반도체"], [0, 1]))
    assert not phrase_found({"인공지능": [3], "반도체": [5]}, Phrase(["인공지능", "반도체"], [0, 1]))


def test_snippet_marks_the_best_window() -> None:
    text = "가" * 300 + " 반도체 수출 " + "나" * 300 + " 반도체"
    spans = [(301, 304, "반도체"), (305, 307, "수출"), (609, 612, "반도체")]
    shown = snippet(text, spans)
    assert f"{MARK_OPEN}반도체{MARK_CLOSE} {MARK_OPEN}수출{MARK_CLOSE}" in shown
    assert shown.startswith("…") and shown.endswith("…")
    assert snippet("짧은 본문", []) == "짧은 본문"


def test_search_ranks_title_matches_first_and_collapses_nothing_alone(tmp_path: Path) -> None:
    with Warehouse.open(tmp_path / "s.duckdb") as store:
        load(store, [CHIP, CLOUD, ROBOT])
        hits = search(store, parsed("반도체"), SearchFilters(), 10)
        assert [hit.article_id for hit in hits][0] == CHIP.article_id  # the only title match
        assert {hit.article_id for hit in hits} == {CHIP.article_id, CLOUD.article_id, ROBOT.article_id}
        assert all(f"{MARK_OPEN}반도체{MARK_CLOSE}" in hit.snippet for hit in hits)
        # all words by default, any with match_all=False
        assert [h.article_id for h in search(store, parsed("반도체 클라우드"), SearchFilters(), 10)] == [
            CLOUD.article_id
        ]
        anywhere = search(store, parsed("클라우드 로봇"), SearchFilters(match_all=False), 10)
        assert {h.article_id for h in anywhere} == {CLOUD.article_id, ROBOT.article_id}
        # verbs by their stem: 늘렸다 and 늘었다 are 늘리다 and 늘다
        assert [h.article_id for h in search(store, parsed("늘리다"), SearchFilters(), 10)] == [CHIP.article_id]
        # phrases: adjacent morphemes only
        phrase = search(store, parsed('"인공지능 반도체"'), SearchFilters(), 10)
        assert [h.article_id for h in phrase] == [ROBOT.article_id]
        assert search(store, parsed('"반도체 인공지능"'), SearchFilters(), 10) == []
        # filters
        assert {h.article_id for h in search(store, parsed("반도체"), SearchFilters(sources=["zdnet"]), 10)} == {
            CLOUD.article_id
        }


def test_update_replaces_terms_and_failed_load_leaves_nothing(tmp_path: Path) -> None:
    changed = article(1, "메모리 가격 하락", "메모리 가격이 내렸다. 반도체 업황이 나빠졌다.")
    with Warehouse.open(tmp_path / "a.duckdb") as store:
        load(store, [CHIP, CLOUD])
        before = index_rows(store)
        mentions, terms = tagged([changed])
        # A load that fails inside its transaction (here: one terms entry short) changes nothing.
        with pytest.raises(ValueError):
            store.load_batch("run-2", [changed, ROBOT], mentions + [[]], terms=terms)
        assert index_rows(store) == before
        load(store, [changed, ROBOT], run_id="run-2")
        updated = index_rows(store)
        assert search(store, parsed("수출"), SearchFilters(), 10) == []
        assert [h.article_id for h in search(store, parsed("메모리"), SearchFilters(), 10)] == [changed.article_id]
    with Warehouse.open(tmp_path / "b.duckdb") as fresh:
        load(fresh, [changed, CLOUD, ROBOT])
        assert index_rows(fresh) == updated


def test_loads_number_new_terms_in_term_order_and_both_rankings_agree(tmp_path: Path) -> None:
    """Each load numbers its new terms next, in term order, and stores its rows in (doc_id, term_id, field)
    order; search_bm25 (for SQL clients, terms) ranks as search_bm25_ids (what `search` calls, term numbers)."""
    vocab_sql = "SELECT term_id, term FROM search_vocab ORDER BY term_id"
    with Warehouse.open(tmp_path / "n.duckdb") as store:
        load(store, [CHIP])
        first = store.query(vocab_sql).rows
        load(store, [CLOUD, ROBOT], run_id="run-2")
        vocab = store.query(vocab_sql).rows
        assert vocab[: len(first)] == first
        assert [term_id for term_id, _ in vocab] == list(range(1, len(vocab) + 1))
        for numbered in (first, vocab[len(first) :]):
            assert [term for _, term in numbered] == sorted(term for _, term in numbered)
        stored = store.query("SELECT doc_id, term_id, field FROM search_terms ORDER BY rowid").rows
        assert stored == sorted(stored)
        term_ids = {term: term_id for term_id, term in vocab}
        for terms in (["반도체"], ["반도체", "기업"], ["반도체", "없는말"], ["없는말"]):
            for match_all in (True, False):
                ids = [term_ids[term] for term in terms if term in term_ids]
                by_terms = store.query(
                    "SELECT * FROM search_bm25($terms, match_all := $match_all) ORDER BY article_id",
                    {"terms": terms, "match_all": match_all},
                ).rows
                by_ids = store.query(
                    "SELECT * FROM search_bm25_ids($ids, $count, match_all := $match_all) ORDER BY article_id",
                    {"ids": ids, "count": len(terms), "match_all": match_all},
                ).rows
                assert by_terms == by_ids
                assert bool(by_terms) == (bool(ids) and (not match_all or len(ids) == len(terms)))


def test_posting_rows_rewritten_in_term_order_change_no_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loads rewrite search_postings in term order as it grows (warehouse.search.reorder_postings_if_due): the
    same loads with and without those rewrites give the same index entries and the same hits, in order."""
    changed = article(
        1, "메모리 반도체 가격 하락", "메모리 가격이 내렸다. 반도체 업황이 나빠졌다. 클라우드 수요는 늘었다."
    )
    batches = [[CHIP], [CLOUD], [ROBOT], [changed]]
    queries = [("반도체", True), ("반도체 클라우드", True), ('"인공지능 반도체"', True), ("로봇 메모리 수출", False)]
    results = []
    for name, reorder_from in (("appended", 10**9), ("reordered", 1)):
        monkeypatch.setattr(search_module, "POSTINGS_REORDER_MIN_ROWS", reorder_from)
        with Warehouse.open(tmp_path / f"{name}.duckdb") as store:
            for number, batch in enumerate(batches):
                load(store, batch, run_id=f"run-{number}")
            term_order = [row[0] for row in store.query("SELECT term_id FROM search_postings ORDER BY rowid").rows]
            hits = [search(store, parsed(text), SearchFilters(match_all=every), 10) for text, every in queries]
            results.append((index_rows(store), hits, term_order))
    (appended, appended_hits, appended_order), (reordered, reordered_hits, reordered_order) = results
    assert reordered == appended
    assert reordered_hits == appended_hits and all(appended_hits)
    assert reordered_order != appended_order  # the rewrites ran (four loads' rows, interleaved by term before)


def test_upgrade_builds_the_index_once(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "old.duckdb"
    with Warehouse.open(path) as store:
        load(store, [CHIP, CLOUD, ROBOT])
        expected = index_rows(store)
        # Back to schema 7 with the articles in it: a warehouse from before the index.
        for statement in (
            "DROP MACRO TABLE search_bm25",
            "DROP MACRO TABLE search_bm25_ids",
            "DROP TABLE search_terms",
            "DROP TABLE search_postings",
            "DROP TABLE search_docs",
            "DROP TABLE search_vocab",
            "DROP TABLE search_pending",
            "DELETE FROM schema_migrations WHERE version IN (8, 10)",
        ):
            store.con.execute(statement)
    capfd.readouterr()
    with Warehouse.open(path) as store:
        assert index_rows(store) == expected
        assert store.scalar("SELECT count(*) FROM search_pending") == 0
    assert "search index: 3/3 articles" in capfd.readouterr().err
    with Warehouse.open(path) as store:
        assert index_rows(store) == expected
    assert "search index" not in capfd.readouterr().err


def test_search_on_a_file_from_the_previous_release_migrates_it_first(tmp_path: Path) -> None:
    """A warehouse written before migration 10 (no search_bm25_ids): the read-only search brings it up to date
    instead of failing on the missing macro."""
    path = tmp_path / "previous.duckdb"
    with Warehouse.open(path) as store:
        load(store, [CHIP, CLOUD, ROBOT])
        store.con.execute("DROP MACRO TABLE search_bm25_ids")
        store.con.execute("DELETE FROM schema_migrations WHERE version = 10")
    table = api.search("반도체", db=path)
    assert table.rows and "«반도체»" in table.rows[0][-1]
    with Warehouse.open(path, read_only=True) as store:
        assert store.is_up_to_date()


def newsetl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from newsetl.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


def test_cli_search_and_its_one_line_errors(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    with Warehouse.open(db) as store:
        load(store, [CHIP, CLOUD, ROBOT])
    done = newsetl("search", "반도체를", "--db", str(db), "--format", "json", "--limit", "2")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 2 and "«반도체»" in done.stdout
    for args, says in (
        (["   "], "empty search query"),
        (["그리고 !?"], "no searchable word"),
        (["반도체", "--since", "2026-13-01"], "--since"),
        (["반도체", "--source", "nosuch"], "no such source"),
        (["반도체", "--limit", "0"], "--limit"),
    ):
        failed = newsetl("search", *args, "--db", str(db))
        assert failed.returncode == 2, (args, failed.stderr)
        assert len(failed.stderr.strip().splitlines()) == 1 and says in failed.stderr, failed.stderr
    assert api.search("반도체", db=db, until="2026-11-19").rows == []
