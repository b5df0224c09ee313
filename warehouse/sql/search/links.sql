-- Wire-copy links that lead to a stored article (as the `stories` view follows them: a link to an article no
-- longer stored ends the chain). Only copies have one, so this is a small part of the archive.
SELECT a.article_id, a.duplicate_of
FROM articles a
WHERE a.duplicate_of IS NOT NULL AND a.duplicate_of IN (SELECT article_id FROM articles)
