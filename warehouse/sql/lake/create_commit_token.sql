CREATE TABLE IF NOT EXISTS lake_commit_token (generation BIGINT NOT NULL)
