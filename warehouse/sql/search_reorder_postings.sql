-- The posting rows rewritten in term order, inside the load's transaction (warehouse.search.write_terms, when
-- postings_reorder_due says so). Loads append one row per term each, so a term's rows end up one per load across the whole
-- table, and DuckDB decodes a list column a vector (2,048 rows) at a time: ranking two terms decoded nearly
-- every posting of the archive. In term order a term's rows are a few neighbouring vectors. Entries are kept
-- as they are (rows of one load's size); only their order changes.
CREATE TEMP TABLE reordered_postings AS
SELECT term_id, postings FROM search_postings ORDER BY term_id, postings[1].doc_id;

DELETE FROM search_postings;

-- In the copy's order: DuckDB keeps insertion order (preserve_insertion_order, on by default), so sorting the
-- rows with their lists a second time only cost CPU (about a third of the rewrite).
INSERT INTO search_postings SELECT term_id, postings FROM reordered_postings;

DROP TABLE reordered_postings;
