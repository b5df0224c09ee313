-- A wire story counts once. Near-duplicate copies (the same story on another outlet, or crawled again under
-- another URL) point at the earliest stored copy through articles.duplicate_of (0003). From here on the views
-- count only that earliest copy, and `copies` says how many stored articles carry the story (itself included),
-- so the copies are not lost, only not counted twice.

-- One row per story: its earliest copy, how many stored articles carry it and on which other outlets.
-- A link can lead to a copy that itself links on (a story crawled again under other URLs may link to a
-- wire copy rather than the first), so copies are gathered down the whole chain. A link to an article no
-- longer stored leaves its copy a story of its own rather than counting it nowhere.
CREATE OR REPLACE VIEW stories AS
WITH RECURSIVE story_of(article_id, story_id, depth) AS (
    SELECT a.article_id, a.article_id, 0
    FROM articles a
    WHERE a.duplicate_of IS NULL OR NOT EXISTS (SELECT 1 FROM articles d WHERE d.article_id = a.duplicate_of)
    UNION ALL
    SELECT a.article_id, s.story_id, s.depth + 1
    FROM articles a
    JOIN story_of s ON a.duplicate_of = s.article_id
    WHERE s.depth < 64  -- links point at earlier copies, so chains are short; this only bounds a broken one
),
copied AS (
    SELECT
        s.story_id AS article_id,
        count(*) AS copies,
        list(DISTINCT a.source ORDER BY a.source) FILTER (WHERE s.depth > 0) AS copy_sources
    FROM story_of s
    JOIN articles a USING (article_id)
    GROUP BY s.story_id
)
SELECT
    a.article_id,
    a.source,
    CAST(timezone('Asia/Seoul', coalesce(a.published_at, a.first_seen_at)) AS DATE) AS day,
    a.title,
    a.url,
    c.copies,
    coalesce(c.copy_sources, []) AS copy_sources
FROM articles a
JOIN copied c USING (article_id);

-- As in 0006 (majority entity and type per name), restricted to each story's earliest copy: the articles that
-- link to no stored copy (the same rule as stories, without walking the chains, which this hot view need not).
-- entity_trending, entity_cooccurrence and people_roles read this view, so they count each story once too.
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
LEFT JOIN entity_types t ON t.name = e.name AND m.type IN ('PERSON', 'ORG', 'LOC')
WHERE a.duplicate_of IS NULL OR a.duplicate_of NOT IN (SELECT article_id FROM articles);

-- Mentions per entity per day and outlet; articles are stories, copies the stored articles carrying them.
CREATE OR REPLACE VIEW entity_daily AS
WITH per_story AS (
    SELECT f.day, f.source, f.entity_id, f.name, f.type, f.article_id, any_value(s.copies) AS copies, count(*) AS mentions
    FROM mention_facts f
    JOIN stories s USING (article_id)
    GROUP BY f.day, f.source, f.entity_id, f.name, f.type, f.article_id
)
SELECT
    day,
    source,
    entity_id,
    name,
    type,
    CAST(sum(mentions) AS BIGINT) AS mentions,
    count(*) AS articles,
    CAST(sum(copies) AS BIGINT) AS copies
FROM per_story
GROUP BY day, source, entity_id, name, type;

-- As in 0002, over each story's earliest copy, with the story's copy count.
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
    s.copies,
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
FROM money
JOIN stories s USING (article_id);

-- Stories per outlet per day (by the earliest copy's outlet and day); copies counts every stored article of
-- those stories, so sum(copies) over all rows is the number of stored articles.
CREATE OR REPLACE VIEW source_daily AS
SELECT
    s.day,
    s.source,
    count(*) AS articles,
    CAST(sum(s.copies) AS BIGINT) AS copies,
    count(*) FILTER (WHERE len(coalesce(a.authors, [])) > 0) AS with_byline,
    CAST(round(avg(length(a.body))) AS INTEGER) AS avg_body_chars,
    coalesce(sum(m.mentions), 0) AS mentions
FROM stories s
JOIN articles a USING (article_id)
LEFT JOIN (SELECT article_id, count(*) AS mentions FROM mentions GROUP BY article_id) m USING (article_id)
GROUP BY s.day, s.source;
