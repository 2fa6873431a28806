-- Record which report an item was last re-checked against.
update rectification_items
set last_checked_document_id = $document_id, last_checked_at = $at
where item_id = $item_id;
