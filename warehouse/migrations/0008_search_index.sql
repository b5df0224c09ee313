-- Korean full-text search (issue 18): a term index built from Kiwi morphemes (transforms/terms.py), kept
-- up to date by every load in the load's own transaction (warehouse/search.py), ranked by BM25 in SQL.

-- One row per indexed article: its number in the index and its field lengths in terms (BM25's |d|).
CREATE TABLE search_docs (
    doc_id INTEGER PRIMARY KEY,
    article_id VARCHAR NOT NULL UNIQUE,
    title_len INTEGER NOT NULL,
    body_len INTEGER NOT NULL
);

-- One row per distinct term: integer ids make the postings scan a scan of integers.
CREATE TABLE search_vocab (
    term_id INTEGER PRIMARY KEY,
    term VARCHAR NOT NULL UNIQUE
);

-- One row per term in a field of an article: how often, at which token positions (for phrases) and at
-- which character offsets of articles.title or articles.body (for snippets; end exclusive).
CREATE TABLE search_terms (
    doc_id INTEGER NOT NULL,
    term_id INTEGER NOT NULL,
    field VARCHAR NOT NULL,
    tf INTEGER NOT NULL,
    positions INTEGER[] NOT NULL,
    starts INTEGER[] NOT NULL,
    ends INTEGER[] NOT NULL
);

-- The same counts term-major, for ranking: one row per term per load (a load appends one row for each term
-- its articles have, listing them), so a query reads the rows of its own terms, not one row per article and
-- term of the whole archive. A changed article leaves the lists it was in before its new terms are added.
CREATE TABLE search_postings (
    term_id INTEGER NOT NULL,
    postings STRUCT(doc_id INTEGER, title_tf INTEGER, body_tf INTEGER)[] NOT NULL
);

-- Articles stored without their terms: on upgrade every existing article. Their index is built once
-- (Kiwi over title and body) right after this migration, or by the next `newsetl search` if interrupted.
CREATE TABLE search_pending (
    article_id VARCHAR PRIMARY KEY
);

INSERT INTO search_pending SELECT article_id FROM articles;

-- BM25 over the term tables, for any DuckDB client: the terms are base forms as the index holds them
-- (nouns as written, verb and adjective stems + 다, foreign words lower-case), e.g.
--   SELECT * FROM search_bm25(['반도체', '수출']) ORDER BY score DESC LIMIT 10;
-- Per term: idf x (the body's BM25 part + a title part that outweighs any number of body matches).
-- k1 = 1.2, b = 0.75. match_all := false ranks articles with any of the terms.
CREATE OR REPLACE MACRO search_bm25(query_terms, match_all := true) AS TABLE
WITH query AS (
    SELECT term_id FROM search_vocab WHERE list_contains(query_terms, term)
),
hits AS (
    SELECT p.doc_id, p.term_id, sum(p.title_tf) AS title_tf, sum(p.body_tf) AS body_tf
    FROM (
        SELECT term_id, unnest(postings, recursive := true)
        FROM search_postings
        WHERE term_id IN (SELECT term_id FROM query)
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
WHERE NOT match_all OR c.terms_matched = len(list_distinct(query_terms));
