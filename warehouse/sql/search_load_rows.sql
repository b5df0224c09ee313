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

-- Their posting rows, one per term (built in Arrow: warehouse.search._postings), in term order.
INSERT INTO search_postings
SELECT term_id, postings FROM incoming_search_postings;
