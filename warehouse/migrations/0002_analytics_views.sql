-- Analytics views: the names people query. Views hold no data, so later migrations may replace them freely.
-- Days are calendar days in Asia/Seoul (the outlets' time zone), whatever the session's TimeZone says.
-- An article without a publication date counts on the day it was first seen.

-- Every mention with its article's day and outlet: the base of the entity views below.
CREATE OR REPLACE VIEW mention_facts AS
SELECT
    m.article_id,
    a.source,
    CAST(timezone('Asia/Seoul', coalesce(a.published_at, a.first_seen_at)) AS DATE) AS day,
    m.entity_id,
    e.name,
    m.type,
    m.surface,
    m.start_char,
    m.end_char,
    m.normalized,
    m.title,
    m.org
FROM mentions m
JOIN articles a USING (article_id)
JOIN entities e USING (entity_id);

-- Mentions per entity per day and outlet.
CREATE OR REPLACE VIEW entity_daily AS
SELECT
    day,
    source,
    entity_id,
    name,
    type,
    count(*) AS mentions,
    count(DISTINCT article_id) AS articles
FROM mention_facts
GROUP BY day, source, entity_id, name, type;

-- Named entities whose mentions rose in the last 7 days of data against the 7 days before.
-- The window ends on the latest article day, so an archive crawled long ago still has a "now".
CREATE OR REPLACE VIEW entity_trending AS
WITH bounds AS (
    SELECT max(day) AS window_end FROM mention_facts
),
per_entity AS (
    SELECT
        f.entity_id,
        f.name,
        f.type,
        b.window_end,
        count(*) FILTER (WHERE f.day > b.window_end - 7) AS recent_mentions,
        count(*) FILTER (WHERE f.day <= b.window_end - 7 AND f.day > b.window_end - 14) AS previous_mentions,
        count(DISTINCT f.article_id) FILTER (WHERE f.day > b.window_end - 7) AS recent_articles,
        count(DISTINCT f.source) FILTER (WHERE f.day > b.window_end - 7) AS recent_sources
    FROM mention_facts f, bounds b
    WHERE f.type IN ('PERSON', 'ORG', 'LOC') AND f.day > b.window_end - 14
    GROUP BY f.entity_id, f.name, f.type, b.window_end
)
SELECT
    entity_id,
    name,
    type,
    window_end - 6 AS window_start,
    window_end,
    recent_mentions,
    previous_mentions,
    recent_mentions - previous_mentions AS rise,
    -- add-one smoothing: an entity new this week gets a finite, comparable ratio
    round((recent_mentions + 1) / (previous_mentions + 1), 2) AS rise_ratio,
    recent_articles,
    recent_sources
FROM per_entity;

-- Pairs of named entities in the same article; name_a < name_b, so each pair appears once.
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
JOIN per_article y ON x.article_id = y.article_id AND (x.name < y.name OR (x.name = y.name AND x.entity_id < y.entity_id))
GROUP BY x.entity_id, x.name, x.type, y.entity_id, y.name, y.type;

-- Each title and organisation a person was seen with, and when (NULL title/org: not stated there).
CREATE OR REPLACE VIEW people_roles AS
SELECT
    entity_id,
    name AS person,
    title,
    org AS organisation,
    count(*) AS mentions,
    count(DISTINCT article_id) AS articles,
    min(day) AS first_seen,
    max(day) AS last_seen
FROM mention_facts
WHERE type = 'PERSON' AND (title IS NOT NULL OR org IS NOT NULL)
GROUP BY entity_id, name, title, org;

-- Each money mention with its sentence and the named entities in that sentence.
-- A sentence ends at . ? ! (with closing quotes) followed by white space, or at a line break.
CREATE OR REPLACE VIEW money_mentions AS
WITH money AS (
    SELECT
        f.article_id,
        f.source,
        f.day,
        a.title AS article_title,
        a.url,
        f.entity_id,
        f.surface,
        f.normalized,
        f.start_char,
        f.end_char,
        length(regexp_extract(left(a.body, f.start_char), '(?s)^.*(?:[.?!][”’"'')\]]*\s|\n)')) AS sentence_start,
        f.end_char + coalesce(
            nullif(length(regexp_extract(substr(a.body, f.end_char + 1), '^[^\n]*?[.?!][”’"'')\]]*(?:\s|$)')), 0),
            length(regexp_extract(substr(a.body, f.end_char + 1), '^[^\n]*'))
        ) AS sentence_end,
        a.body
    FROM mention_facts f
    JOIN articles a USING (article_id)
    WHERE f.type = 'MONEY'
)
SELECT
    money.article_id,
    money.source,
    money.day,
    money.article_title,
    money.url,
    money.surface,
    -- normalized is a bare number for won, "CUR amount" for other currencies
    CASE WHEN regexp_full_match(money.normalized, '[0-9]+') THEN 'KRW' ELSE split_part(money.normalized, ' ', 1) END
        AS currency,
    CASE WHEN regexp_full_match(money.normalized, '[0-9]+') THEN CAST(money.normalized AS HUGEINT) END AS amount_krw,
    money.normalized,
    money.start_char,
    trim(substr(money.body, money.sentence_start + 1, money.sentence_end - money.sentence_start), chr(10) || chr(13) || ' ')
        AS sentence,
    coalesce(
        (
            SELECT list(DISTINCT other.name ORDER BY other.name)
            FROM mention_facts other
            WHERE other.article_id = money.article_id
              AND other.type IN ('PERSON', 'ORG', 'LOC')
              AND other.start_char >= money.sentence_start
              AND other.end_char <= money.sentence_end
        ),
        []
    ) AS entities
FROM money;

-- Articles per outlet per day.
CREATE OR REPLACE VIEW source_daily AS
SELECT
    CAST(timezone('Asia/Seoul', coalesce(a.published_at, a.first_seen_at)) AS DATE) AS day,
    a.source,
    count(*) AS articles,
    count(*) FILTER (WHERE len(coalesce(a.authors, [])) > 0) AS with_byline,
    CAST(round(avg(length(a.body))) AS INTEGER) AS avg_body_chars,
    coalesce(sum(m.mentions), 0) AS mentions
FROM articles a
LEFT JOIN (SELECT article_id, count(*) AS mentions FROM mentions GROUP BY article_id) m USING (article_id)
GROUP BY day, a.source;
