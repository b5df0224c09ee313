-- Biggest money mentions (KRW)
SELECT m.surface, CAST(m.normalized AS HUGEINT) AS krw, a.source, left(a.title, 40) AS title
FROM mentions m JOIN articles a USING (article_id)
WHERE m.type = 'MONEY' AND m.normalized IS NOT NULL AND m.normalized NOT LIKE '% %'
ORDER BY krw DESC
LIMIT 5
