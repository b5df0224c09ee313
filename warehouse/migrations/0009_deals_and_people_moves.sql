-- Deals and people moves (issue 19), found by transforms.events in each article's sentences and loaded with
-- the article's mentions in the same transaction. Rows belong to an article version: a changed article's
-- rows are replaced. *_entity_id is the entities row of the name's mention (NULL when the name was read from
-- the wording and no mention covers it). Views count each wire story once (its earliest copy, as in 0007).
CREATE TABLE deals (
    deal_id            VARCHAR PRIMARY KEY,  -- article_id:position
    article_id         VARCHAR NOT NULL,     -- articles.article_id
    position           INTEGER NOT NULL,     -- order in the article
    kind               VARCHAR NOT NULL,     -- investment, fund, acquisition, ipo, grant
    company            VARCHAR,              -- the company raising, the fund manager, the company bought, listed or funded
    company_entity_id  VARCHAR,              -- entities.entity_id
    amount             VARCHAR,              -- the amount's normalized value: KRW digits, or "USD 10000000"
    amount_text        VARCHAR,              -- the amount as written (50억원)
    currency           VARCHAR,              -- KRW, USD...
    amount_krw         BIGINT,               -- KRW value: the won amount, or the won figure given beside another currency
    round              VARCHAR,              -- 시드, 프리A, 시리즈A..E, 브릿지, 프리IPO (investments only)
    event_date         VARCHAR,              -- resolved like DATE mentions: YYYY-MM-DD, YYYY-MM or YYYY
    sentence           VARCHAR NOT NULL,
    start_char         INTEGER NOT NULL,     -- the sentence's offsets into articles.body
    end_char           INTEGER NOT NULL
);

CREATE TABLE deal_investors (
    deal_id    VARCHAR NOT NULL,   -- deals.deal_id
    position   INTEGER NOT NULL,
    investor   VARCHAR NOT NULL,   -- an investor, or the buyer in an acquisition
    entity_id  VARCHAR,            -- entities.entity_id
    lead       BOOLEAN NOT NULL,   -- the text says it led the round (주도, 리드)
    PRIMARY KEY (deal_id, position)
);

CREATE TABLE appointments (
    appointment_id    VARCHAR PRIMARY KEY,  -- article_id:position
    article_id        VARCHAR NOT NULL,
    position          INTEGER NOT NULL,
    kind              VARCHAR NOT NULL,     -- 선임, 취임, 영입, 내정, 사임, 퇴임
    person            VARCHAR NOT NULL,
    person_entity_id  VARCHAR,
    title             VARCHAR,              -- the new post (the post left, for 사임 and 퇴임)
    org               VARCHAR,
    org_entity_id     VARCHAR,
    event_date        VARCHAR,
    sentence          VARCHAR NOT NULL,
    start_char        INTEGER NOT NULL,
    end_char          INTEGER NOT NULL
);

-- Deals of each story's earliest copy, with the article's outlet, day, title and link.
CREATE OR REPLACE VIEW deal_facts AS
SELECT
    d.*,
    s.source,
    s.day AS article_day,
    coalesce(TRY_CAST(d.event_date AS DATE), s.day) AS day,
    s.title AS article_title,
    s.url,
    s.copies
FROM deals d
JOIN stories s USING (article_id);

-- Deals and their KRW total per month and round (round 'none' for deals that name none; kinds apart).
CREATE OR REPLACE VIEW deals_monthly AS
SELECT
    CAST(date_trunc('month', day) AS DATE) AS month,
    kind,
    coalesce(round, 'none') AS round,
    count(*) AS deals,
    count(amount_krw) AS with_amount,
    CAST(coalesce(sum(amount_krw), 0) AS HUGEINT) AS amount_krw
FROM deal_facts
GROUP BY ALL;

-- Per investor: deals it took part in, led, the companies it backed and the KRW total of those deals.
CREATE OR REPLACE VIEW investor_activity AS
SELECT
    i.investor,
    any_value(i.entity_id) AS entity_id,
    count(DISTINCT d.deal_id) AS deals,
    count(DISTINCT d.deal_id) FILTER (WHERE i.lead) AS led,
    count(DISTINCT d.company) AS companies,
    list(DISTINCT d.company ORDER BY d.company) FILTER (WHERE d.company IS NOT NULL) AS company_names,
    CAST(coalesce(sum(d.amount_krw), 0) AS HUGEINT) AS amount_krw,
    min(d.day) AS first_day,
    max(d.day) AS last_day
FROM deal_investors i
JOIN deal_facts d USING (deal_id)
WHERE d.kind IN ('investment', 'fund', 'grant')
GROUP BY i.investor;

-- Who moved where: each appointment or departure of a story's earliest copy, newest first in queries.
CREATE OR REPLACE VIEW people_moves AS
SELECT
    coalesce(TRY_CAST(p.event_date AS DATE), s.day) AS day,
    p.person,
    p.kind,
    p.title,
    p.org,
    p.person_entity_id,
    p.org_entity_id,
    p.sentence,
    s.source,
    s.title AS article_title,
    s.url,
    p.article_id
FROM appointments p
JOIN stories s USING (article_id);
