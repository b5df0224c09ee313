-- The doc_id of each of a load batch's new and changed articles (search_changed) that the index already holds:
-- the changed ones. The load's only read of search_docs; everything else it does there is by these numbers.
SELECT article_id, doc_id FROM search_docs WHERE article_id IN (SELECT article_id FROM search_changed)
