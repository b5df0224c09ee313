INSERT INTO fetch_errors
SELECT run_id, url, source, http_status, error, CAST("at" AS TIMESTAMPTZ)
FROM incoming_errors
