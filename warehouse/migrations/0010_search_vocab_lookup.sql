-- search_bm25 (0008) split in two, so that neither reads the whole vocabulary. Its first step found the query's
-- terms with list_contains(query_terms, term), a test of every row of search_vocab: 22 ms a query at 1,000,000
-- terms (a real archive's size; nothing at the synthetic 761). `term IN (SELECT unnest(...))` is looked up in
-- the UNIQUE key's index on term instead (under 1 ms at any size).
--
-- search_bm25_ids ranks by term numbers: what warehouse.search calls, having looked the numbers up already
-- (sql/search/term_ids.sql); `query_term_count` is the number of distinct query terms, which match_all needs
-- every one of (a term the vocabulary lacks matches nothing). Same formula as 0008: per term, idf x (the
-- body's BM25 part + a title part that outweighs any number of body matches), k1 = 1.2, b = 0.75.
-- The postings are picked by list_contains, not `IN (SELECT unnest(...))`: that semi-join read about six times
-- the posting rows (a two-term query's ranking 15 -> 28 ms on the bench archive).
CREATE OR REPLACE MACRO search_bm25_ids(query_term_ids, query_term_count, match_all := true) AS TABLE
WITH hits AS (
    SELECT p.doc_id, p.term_id, sum(p.title_tf) AS title_tf, sum(p.body_tf) AS body_tf
    FROM (
        SELECT term_id, unnest(postings, recursive := true)
        FROM search_postings
        WHERE list_contains(query_term_ids, term_id)
    ) p
    GROUP BY p.doc_id, p.term_id
),
stats AS (
    SELECT count(*) AS n, greatest(avg(title_len), 1) AS avg_title, greatest(avg(body_len), 1) AS avg_body
    FROM search_docs
),
idf AS (
    SELECT term_id, ln(1 + ((SELECT n FROM stats) - count(*) + 0.5) / (count(*) + 0.5)) AS idf
    FROM hits
    GROUP BY term_id
),
scored AS (
    SELECT
        h.doc_id,
        sum(
            i.idf * (
                2.2 * h.body_tf / (h.body_tf + 1.2 * (0.25 + 0.75 * d.body_len / s.avg_body))
                + CASE WHEN h.title_tf > 0
                    THEN 2.2 * (1 + h.title_tf / (h.title_tf + 1.2 * (0.25 + 0.75 * d.title_len / s.avg_title)))
                    ELSE 0 END
            )
        ) AS score,
        count(*) AS terms_matched
    FROM hits h
    JOIN idf i USING (term_id)
    JOIN search_docs d USING (doc_id)
    CROSS JOIN stats s
    GROUP BY h.doc_id
)
SELECT d.article_id, c.score, c.terms_matched, c.doc_id
FROM scored c
JOIN search_docs d USING (doc_id)
WHERE NOT match_all OR c.terms_matched = query_term_count;

-- search_bm25 for any DuckDB client, as 0008 documents it (same arguments, rows and scores):
--   SELECT * FROM search_bm25(['반도체', '수출']) ORDER BY score DESC LIMIT 10;
CREATE OR REPLACE MACRO search_bm25(query_terms, match_all := true) AS TABLE
SELECT *
FROM search_bm25_ids(
    (SELECT list(term_id) FROM search_vocab WHERE term IN (SELECT unnest(query_terms))),
    len(list_distinct(query_terms)),
    match_all := match_all
);
