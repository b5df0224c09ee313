-- A load batch's search terms (warehouse.search.write_terms), inside the load's transaction.
-- `incoming_search_docs` are the batch's new and changed articles that came with terms (the pipeline's always
-- do), numbered: those the index held (`held`) keep their doc_id, new ones get the next numbers in article_id
-- order (a batch loaded again after a crash gets the same numbers). A changed article's terms are replaced,
-- never added to. The batch's new terms and its term rows go in afterwards (search_load_rows.sql).
--
-- The lists named by $ are the batch's, worked out in warehouse.search._write_rows from one read of search_docs
-- (search/held_docs.sql, only for articles stored before this load): $stale_docs every changed article the index
-- held, $dropped_docs those of them that came without terms, $unindexed the batch's articles without terms,
-- $reindexed_docs the held ones with new terms, $waiting those with terms that waited in search_pending. A
-- statement runs only when the lists it names are not empty: a batch of new articles with terms runs only the
-- last one, and none reads more of the index than the batch's own rows (each of the others reads search_terms,
-- search_docs or search_pending whole).

-- A changed article leaves the posting lists of the terms it had. Only the rows that list a stale article are
-- rewritten, not every row of its terms.
UPDATE search_postings
SET postings = list_filter(postings, p -> NOT list_contains($stale_docs, p.doc_id))
WHERE term_id IN (SELECT term_id FROM search_terms WHERE doc_id IN (SELECT unnest($stale_docs)))
  AND list_has_any(list_transform(postings, p -> p.doc_id), $stale_docs);

DELETE FROM search_postings
WHERE len(postings) = 0
  AND term_id IN (SELECT term_id FROM search_terms WHERE doc_id IN (SELECT unnest($stale_docs)));

DELETE FROM search_terms WHERE doc_id IN (SELECT unnest($stale_docs));

-- Articles that came without terms leave the index until their terms are built (search_pending).
DELETE FROM search_docs WHERE doc_id IN (SELECT unnest($dropped_docs));

INSERT INTO search_pending
SELECT article_id FROM (SELECT unnest($unindexed) AS article_id)
ANTI JOIN search_pending USING (article_id);

DELETE FROM search_pending WHERE article_id IN (SELECT unnest($waiting));

UPDATE search_docs
SET title_len = i.title_len, body_len = i.body_len
FROM incoming_search_docs i
WHERE search_docs.doc_id = i.doc_id
  AND i.doc_id IN (SELECT unnest($reindexed_docs));

-- New documents: a column says which, not a list parameter (binding a list of 200 numbers took ~17 ms).
INSERT INTO search_docs
SELECT doc_id, article_id, title_len, body_len
FROM incoming_search_docs
WHERE NOT held
ORDER BY doc_id;
