UPDATE runs SET status = ?, finished_at = ? WHERE status = 'running' RETURNING run_id
