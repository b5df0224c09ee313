-- The table contract people write SQL against. Names here are public: add columns, never rename.
CREATE TABLE articles (
    article_id     VARCHAR PRIMARY KEY,   -- 16 hex chars of sha1(canonical url)
    url            VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,      -- outlet key, e.g. itchosun
    title          VARCHAR NOT NULL,
    subtitle       VARCHAR,
    section        VARCHAR,
    published_at   TIMESTAMPTZ,
    modified_at    TIMESTAMPTZ,
    authors        VARCHAR[],
    body           VARCHAR NOT NULL,      -- clean text, paragraphs joined by a blank line
    body_hash      VARCHAR NOT NULL,      -- hash of the stored fields: a change here is a new version
    version        INTEGER NOT NULL,
    first_seen_at  TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    run_id         VARCHAR NOT NULL       -- the run that wrote this version
);

CREATE TABLE article_versions (
    article_id     VARCHAR NOT NULL,
    version        INTEGER NOT NULL,
    title          VARCHAR NOT NULL,
    subtitle       VARCHAR,
    published_at   TIMESTAMPTZ,
    modified_at    TIMESTAMPTZ,
    authors        VARCHAR[],
    body           VARCHAR NOT NULL,
    body_hash      VARCHAR NOT NULL,
    valid_from     TIMESTAMPTZ NOT NULL,
    valid_to       TIMESTAMPTZ NOT NULL,
    run_id         VARCHAR NOT NULL,
    PRIMARY KEY (article_id, version)
);

CREATE TABLE images (
    article_id  VARCHAR NOT NULL,
    position    INTEGER NOT NULL,
    src         VARCHAR NOT NULL,
    caption     VARCHAR,
    credit      VARCHAR,
    PRIMARY KEY (article_id, position)
);

CREATE TABLE entities (
    entity_id      VARCHAR PRIMARY KEY,  -- 16 hex chars of sha1(type | canonical name or normalized value)
    name           VARCHAR NOT NULL,
    type           VARCHAR NOT NULL,     -- PERSON, ORG, LOC, MONEY, DATE
    normalized     VARCHAR,              -- KRW value for MONEY, ISO date for DATE
    first_seen_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE mentions (
    article_id  VARCHAR NOT NULL,
    entity_id   VARCHAR NOT NULL,
    surface     VARCHAR NOT NULL,
    start_char  INTEGER NOT NULL,        -- offsets into articles.body, end exclusive
    end_char    INTEGER NOT NULL,
    type        VARCHAR NOT NULL,
    normalized  VARCHAR,
    title       VARCHAR,                 -- PERSON: title/role seen with the mention (대표, 장관...)
    org         VARCHAR,                 -- PERSON: organisation seen with the mention
    PRIMARY KEY (article_id, start_char, end_char, type)
);

CREATE TABLE runs (
    run_id              VARCHAR PRIMARY KEY,  -- the Prefect flow run id
    started_at          TIMESTAMPTZ NOT NULL,
    finished_at         TIMESTAMPTZ,
    status              VARCHAR NOT NULL,     -- completed, failed
    pages_fetched       INTEGER NOT NULL DEFAULT 0,
    articles_new        INTEGER NOT NULL DEFAULT 0,
    articles_updated    INTEGER NOT NULL DEFAULT 0,
    articles_unchanged  INTEGER NOT NULL DEFAULT 0,
    mentions            INTEGER NOT NULL DEFAULT 0,
    errors              INTEGER NOT NULL DEFAULT 0,
    sites               VARCHAR[],
    stats               JSON
);

CREATE TABLE fetch_errors (
    run_id       VARCHAR NOT NULL,
    url          VARCHAR NOT NULL,
    source       VARCHAR,
    http_status  INTEGER,
    error        VARCHAR NOT NULL,
    "at"         TIMESTAMPTZ NOT NULL  -- quoted: AT is a keyword
);

-- What the crawler knows about each page, so the next crawl can ask "changed since?" and skip re-parsing.
CREATE TABLE crawl_state (
    url            VARCHAR PRIMARY KEY,  -- canonical url
    article_id     VARCHAR,
    source         VARCHAR,
    etag           VARCHAR,
    last_modified  VARCHAR,
    content_hash   VARCHAR,
    last_status    INTEGER,
    last_fetched_at TIMESTAMPTZ
);
