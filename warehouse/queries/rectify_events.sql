-- The audit trail of rectification items, optionally of one item.
select event_id, item_id, event, from_status, to_status, document_id, actor, happened_at, reason
from rectification_events
where ($item_id is null or item_id = $item_id)
order by event_id;
