-- Raise the candidates (rectify_new: rectify_candidates.sql's rows with their basis, in its order) as
-- open items, each with its "raised" event: one statement each for the whole load, not one per item.
insert into rectification_items (agency_id, report_year, document_id, rule_id, instance, severity, accepted,
                                 message_zh, basis_zh, evidence, raised_at, due_date, status, status_changed_at,
                                 last_checked_document_id, last_checked_at)
select agency_id, report_year, document_id, rule_id, instance, severity, accepted, message_zh, basis_zh,
       evidence::json, $now, $due_date, 'open', $now, document_id, $now
from rectify_new
order by seq;

-- a document has at most one item per rule and instance (rectify_candidates.sql raises no other)
insert into rectification_events (item_id, event, from_status, to_status, document_id, actor, happened_at, reason)
select i.item_id, 'raised', null, 'open', n.document_id, $actor, $now,
       n.rule_id || '(' || n.instance || ')：' || n.message_zh
from rectify_new n
join rectification_items i using (document_id, rule_id, instance)
order by i.item_id;
