-- One type per name across the warehouse. The tagger may type one name differently in different
-- articles (한국어 as PERSON in one, ORG in another); each PERSON/ORG/LOC name keeps the type most of its
-- mentions carry (ties: alphabetical type), and the votes are recorded beside it.
CREATE OR REPLACE VIEW entity_types AS
WITH votes AS (
    SELECT e.name, m.type, count(*) AS mentions
    FROM mentions m
    JOIN entities e USING (entity_id)
    WHERE m.type IN ('PERSON', 'ORG', 'LOC')
    GROUP BY e.name, m.type
),
ranked AS (
    SELECT
        name,
        type,
        mentions,
        row_number() OVER (PARTITION BY name ORDER BY mentions DESC, type) AS rank,
        sum(mentions) OVER (PARTITION BY name) AS total_mentions,
        list({'type': type, 'mentions': mentions}) OVER (PARTITION BY name) AS votes
    FROM votes
)
SELECT r.name, r.type, e.entity_id, r.mentions AS type_mentions, r.total_mentions, r.votes
FROM ranked r
JOIN entities e ON e.name = r.name AND e.type = r.type
WHERE r.rank = 1;

-- As in 0002, but a named mention counts under its name's majority entity and type (entity_types).
-- Mentions without an entity (a surname + title reference nothing resolved: 윤 대표) are left out.
CREATE OR REPLACE VIEW mention_facts AS
SELECT
    m.article_id,
    a.source,
    CAST(timezone('Asia/Seoul', coalesce(a.published_at, a.first_seen_at)) AS DATE) AS day,
    coalesce(t.entity_id, m.entity_id) AS entity_id,
    e.name,
    coalesce(t.type, m.type) AS type,
    m.surface,
    m.start_char,
    m.end_char,
    m.normalized,
    m.title,
    m.org
FROM mentions m
JOIN articles a USING (article_id)
JOIN entities e USING (entity_id)
LEFT JOIN entity_types t ON t.name = e.name AND m.type IN ('PERSON', 'ORG', 'LOC');

-- Pairs of named entities in the same article, name_a < name_b: one row per pair of different names,
-- and a name never pairs with itself (one entity per name after entity_types).
CREATE OR REPLACE VIEW entity_cooccurrence AS
WITH per_article AS (
    SELECT DISTINCT article_id, day, entity_id, name, type
    FROM mention_facts
    WHERE type IN ('PERSON', 'ORG', 'LOC')
)
SELECT
    x.entity_id AS entity_a,
    x.name AS name_a,
    x.type AS type_a,
    y.entity_id AS entity_b,
    y.name AS name_b,
    y.type AS type_b,
    count(*) AS articles,
    min(x.day) AS first_day,
    max(x.day) AS last_day
FROM per_article x
JOIN per_article y ON x.article_id = y.article_id AND x.name < y.name
GROUP BY x.entity_id, x.name, x.type, y.entity_id, y.name, y.type;
