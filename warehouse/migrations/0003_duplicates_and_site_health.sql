-- Near-duplicate links (the same wire story on two outlets) and per-run, per-site extraction health.

ALTER TABLE articles ADD COLUMN duplicate_of VARCHAR;   -- article_id of the copy stored first

ALTER TABLE articles ADD COLUMN duplicate_similarity DOUBLE;  -- MinHash estimate of shingle Jaccard

CREATE TABLE article_signatures (
    article_id    VARCHAR PRIMARY KEY,
    source        VARCHAR NOT NULL,
    published_at  TIMESTAMPTZ,
    minhash       UINTEGER[] NOT NULL   -- datasketch MinHash values (affine32 scheme, 128 permutations)
);

CREATE TABLE site_health (
    run_id                VARCHAR NOT NULL,
    source                VARCHAR NOT NULL,
    checked_at            TIMESTAMPTZ NOT NULL,
    pages                 INTEGER NOT NULL,
    articles              INTEGER NOT NULL,
    fetch_errors          INTEGER NOT NULL,
    empty_body_share      DOUBLE NOT NULL,
    missing_date_share    DOUBLE NOT NULL,
    missing_byline_share  DOUBLE NOT NULL,
    warning               VARCHAR,
    PRIMARY KEY (run_id, source)
);
