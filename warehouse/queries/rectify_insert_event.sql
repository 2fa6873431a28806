-- One row of the rectification audit trail.
insert into rectification_events (item_id, event, from_status, to_status, document_id, actor, happened_at, reason)
values ($item_id, $event, $from_status, $to_status, $document_id, $actor, $at, $reason);
