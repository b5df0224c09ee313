SELECT count(*) FROM information_schema.tables WHERE table_catalog = ? AND table_name = ?
