INSERT INTO lake_commit_token SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM lake_commit_token)
