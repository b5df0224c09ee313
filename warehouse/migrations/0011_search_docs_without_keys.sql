-- search_docs without the keys 0008 gave it (doc_id PRIMARY KEY, article_id UNIQUE). DuckDB reads a key's index
-- whole into memory when a load first inserts, and writes it whole again at the checkpoint that follows; the
-- pipeline opens the warehouse once per batch and checkpoints on close, so every load of 200 articles read and
-- rewrote two indexes over every indexed article (at 50,000 articles 40-70 ms of checkpoint per 300, growing
-- with the archive). Nothing looks search_docs up by key: a load reads the doc_ids of its changed articles in
-- one scan (sql/search/held_docs.sql) and numbers its new documents itself (warehouse.search), so the keys only
-- checked what the load already guarantees, and queries join on doc_id by hashing. Rows stay in doc_id order.
CREATE TEMP TABLE search_docs_before_0011 AS SELECT * FROM search_docs;

DROP TABLE search_docs;

CREATE TABLE search_docs (
    doc_id INTEGER NOT NULL,
    article_id VARCHAR NOT NULL,
    title_len INTEGER NOT NULL,
    body_len INTEGER NOT NULL
);

INSERT INTO search_docs SELECT doc_id, article_id, title_len, body_len FROM search_docs_before_0011 ORDER BY doc_id;

DROP TABLE search_docs_before_0011;
