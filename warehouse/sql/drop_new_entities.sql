DROP TABLE new_entity_ids
