-- Where the query's terms stand in one indexed article (`warehouse.search` runs this once per shown article,
-- joined by UNION ALL: a constant doc_id lets DuckDB skip every part of search_terms but the article's own,
-- as rows are stored in doc_id order). `$term_ids` is a list of integer literals: an IN list of constants is
-- checked before the list columns are read, list_contains after (a quarter of the time of this query).
-- `$columns`: the list columns the caller needs (positions for phrases, starts and ends for snippets).
SELECT t.doc_id, t.field, t.term_id, $columns
FROM search_terms t
WHERE t.doc_id = $doc AND t.term_id IN ($term_ids)
