-- The doc_id of each of a load batch's changed articles (search_changed: those stored before this load) that the
-- index holds. The load's only read of search_docs; everything else it does there goes by these numbers.
SELECT article_id, doc_id FROM search_docs WHERE article_id IN (SELECT article_id FROM search_changed)
