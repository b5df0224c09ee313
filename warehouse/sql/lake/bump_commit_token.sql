UPDATE lake_commit_token SET generation = generation + 1
