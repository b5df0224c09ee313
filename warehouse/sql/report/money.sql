-- The biggest amounts in won, once per story and amount, with the entities in the same sentence and the
-- number of stored copies of the story.
SELECT day, source, article_title, url, copies, surface, amount_krw, entities, sentence
FROM money_mentions
WHERE amount_krw IS NOT NULL AND (CAST($since AS DATE) IS NULL OR day >= CAST($since AS DATE))
QUALIFY row_number() OVER (PARTITION BY article_id, amount_krw ORDER BY start_char) = 1
ORDER BY amount_krw DESC, day DESC, article_id
LIMIT $limit
