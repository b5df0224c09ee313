-- The highest document number in use (a load batch's new documents are numbered from the next one) and how
-- many articles wait in search_pending (none, usually: then the load does not look there).
SELECT coalesce(max(doc_id), 0), (SELECT count(*) FROM search_pending) FROM search_docs
