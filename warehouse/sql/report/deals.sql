-- The latest deals (a wire story once), with their investors (lead first) and the article they were read in.
SELECT
    d.day,
    d.kind,
    d.company,
    d.round,
    d.amount_krw,
    d.amount_text,
    coalesce(
        (SELECT list(i.investor || CASE WHEN i.lead THEN ' (lead)' ELSE '' END ORDER BY NOT i.lead, i.position)
         FROM deal_investors i WHERE i.deal_id = d.deal_id),
        []
    ) AS investors,
    d.source,
    d.article_title,
    d.url,
    d.sentence
FROM deal_facts d
WHERE CAST($since AS DATE) IS NULL OR d.article_day >= CAST($since AS DATE)
ORDER BY d.day DESC, d.amount_krw DESC NULLS LAST, d.deal_id
LIMIT $limit
