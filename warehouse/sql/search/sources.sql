SELECT DISTINCT source FROM articles
