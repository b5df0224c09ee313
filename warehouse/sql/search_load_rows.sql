-- A load batch's new terms and term rows (warehouse.search.write_terms), after search_load.sql numbered its new
-- documents. `incoming_search_vocab` are the batch's terms not in search_vocab yet, with the next numbers;
-- `incoming_search_rows` the rows with their doc_id and term_id, already in search_terms' order (doc_id,
-- term_id, field): the numbers are looked up once for the batch's own articles and terms, so neither insert
-- joins the batch to the whole of search_docs and search_vocab or sorts the list columns.

INSERT INTO search_vocab
SELECT term_id, term FROM incoming_search_vocab;

INSERT INTO search_terms
SELECT doc_id, term_id, field, tf, positions, starts, ends
FROM incoming_search_rows;

INSERT INTO search_postings
SELECT term_id, list({'doc_id': doc_id, 'title_tf': title_tf, 'body_tf': body_tf} ORDER BY doc_id)
FROM (
    SELECT doc_id, term_id,
           coalesce(sum(tf) FILTER (WHERE field = 'title'), 0) AS title_tf,
           coalesce(sum(tf) FILTER (WHERE field = 'body'), 0) AS body_tf
    FROM incoming_search_rows
    GROUP BY doc_id, term_id
)
GROUP BY term_id
ORDER BY term_id;
