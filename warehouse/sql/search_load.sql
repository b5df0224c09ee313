-- A load batch's search terms (warehouse.search.write_terms), inside the load's transaction. `search_changed`
-- are the batch's new and changed articles; `incoming_search_docs` / `incoming_search_terms` the terms of those
-- that came with them (the pipeline's always do). A changed article's terms are replaced, never added to.
-- The batch's new terms and its term rows go in afterwards (search_load_rows.sql), numbered by the docs added here.

-- A changed article leaves the posting lists of the terms it had. These three statements name $stale_docs
-- and run only when the batch has changed articles (warehouse.search.write_terms): each reads the whole
-- index, so running them for a batch of new articles made every load cost work in proportion to the archive.
-- Only the rows that list a stale article are rewritten, not every row of its terms.
UPDATE search_postings
SET postings = list_filter(postings, p -> NOT list_contains($stale_docs, p.doc_id))
WHERE term_id IN (SELECT term_id FROM search_terms WHERE doc_id IN (SELECT unnest($stale_docs)))
  AND list_has_any(list_transform(postings, p -> p.doc_id), $stale_docs);

DELETE FROM search_postings
WHERE len(postings) = 0
  AND term_id IN (SELECT term_id FROM search_terms WHERE doc_id IN (SELECT unnest($stale_docs)));

DELETE FROM search_terms WHERE doc_id IN (SELECT unnest($stale_docs));

-- Articles that came without terms leave the index until their terms are built (search_pending).
DELETE FROM search_docs
WHERE article_id IN (SELECT article_id FROM search_changed)
  AND article_id NOT IN (SELECT article_id FROM incoming_search_docs);

INSERT INTO search_pending
SELECT article_id FROM search_changed
WHERE article_id NOT IN (SELECT article_id FROM incoming_search_docs)
  AND article_id NOT IN (SELECT article_id FROM search_pending);

DELETE FROM search_pending WHERE article_id IN (SELECT article_id FROM incoming_search_docs);

UPDATE search_docs
SET title_len = i.title_len, body_len = i.body_len
FROM incoming_search_docs i
WHERE search_docs.article_id = i.article_id;

-- New documents get the next numbers, in a fixed order: a batch loaded again after a crash gets the same
-- numbers. New terms are numbered the same way, in term order (warehouse.search._batch_vocab). An anti-join,
-- not `NOT IN (SELECT article_id FROM search_docs)`, which hashed every stored article (18 -> 6 ms at 50,000).
INSERT INTO search_docs
SELECT (SELECT coalesce(max(doc_id), 0) FROM search_docs) + row_number() OVER (ORDER BY i.article_id),
       i.article_id, i.title_len, i.body_len
FROM incoming_search_docs i
ANTI JOIN search_docs d USING (article_id);
