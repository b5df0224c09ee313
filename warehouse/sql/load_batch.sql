-- One load batch. `incoming_*` are Arrow tables registered by warehouse.store and hold only articles
-- that are new or changed; the caller runs this file inside one transaction.

-- Keep the version being replaced.
INSERT INTO article_versions
SELECT a.article_id, a.version, a.title, a.subtitle, a.published_at, a.modified_at, a.authors, a.body,
       a.body_hash, a.updated_at, $now, a.run_id
FROM articles a
JOIN incoming_articles i USING (article_id);

-- Changed articles: new content, next version number, first_seen_at kept.
UPDATE articles
SET url = i.url,
    source = i.source,
    title = i.title,
    subtitle = i.subtitle,
    section = i.section,
    published_at = CAST(i.published_at AS TIMESTAMPTZ),
    modified_at = CAST(i.modified_at AS TIMESTAMPTZ),
    authors = i.authors,
    body = i.body,
    body_hash = i.body_hash,
    version = articles.version + 1,
    updated_at = $now,
    run_id = $run_id,
    duplicate_of = i.duplicate_of,
    duplicate_similarity = i.duplicate_similarity,
    extractor = i.extractor
FROM incoming_articles i
WHERE articles.article_id = i.article_id;

INSERT INTO articles (
    article_id, url, source, title, subtitle, section, published_at, modified_at, authors, body, body_hash,
    version, first_seen_at, updated_at, run_id, duplicate_of, duplicate_similarity, extractor
)
SELECT i.article_id, i.url, i.source, i.title, i.subtitle, i.section,
       CAST(i.published_at AS TIMESTAMPTZ), CAST(i.modified_at AS TIMESTAMPTZ),
       i.authors, i.body, i.body_hash, 1, $now, $now, $run_id, i.duplicate_of, i.duplicate_similarity,
       i.extractor
FROM incoming_articles i
WHERE i.article_id NOT IN (SELECT article_id FROM articles);

DELETE FROM images WHERE article_id IN (SELECT article_id FROM incoming_articles);

INSERT INTO images SELECT article_id, position, src, caption, credit FROM incoming_images;

CREATE TEMP TABLE new_entity_ids AS
SELECT entity_id FROM incoming_entities
WHERE entity_id NOT IN (SELECT entity_id FROM entities);

INSERT INTO entities
SELECT e.entity_id, e.name, e.type, e.normalized, $now
FROM incoming_entities e
WHERE e.entity_id IN (SELECT entity_id FROM new_entity_ids);

DELETE FROM mentions WHERE article_id IN (SELECT article_id FROM incoming_articles);

INSERT INTO mentions
SELECT article_id, entity_id, surface, start_char, end_char, type, normalized, title, org
FROM incoming_mentions;

INSERT OR REPLACE INTO article_signatures
SELECT article_id, source, CAST(published_at AS TIMESTAMPTZ), minhash
FROM incoming_articles
WHERE minhash IS NOT NULL;
