SELECT count(*) FROM new_entity_ids
