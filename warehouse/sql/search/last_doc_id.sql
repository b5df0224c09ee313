-- The highest document number in use (a batch's new documents are numbered from the next one).
SELECT coalesce(max(doc_id), 0) FROM search_docs
