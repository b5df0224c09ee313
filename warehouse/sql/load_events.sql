-- The events of one load batch's new and changed articles (registered by warehouse.events), replacing
-- what those articles had; runs inside the batch's transaction.
DELETE FROM deal_investors WHERE deal_id IN (
    SELECT deal_id FROM deals WHERE article_id IN (SELECT article_id FROM incoming_event_articles)
);

DELETE FROM deals WHERE article_id IN (SELECT article_id FROM incoming_event_articles);

DELETE FROM appointments WHERE article_id IN (SELECT article_id FROM incoming_event_articles);

INSERT INTO deals SELECT * FROM incoming_deals;

INSERT INTO deal_investors SELECT * FROM incoming_deal_investors;

INSERT INTO appointments SELECT * FROM incoming_appointments;
