-- Move an item to a new status (the event is written beside it).
update rectification_items
set status = $status, status_changed_at = $at,
    corrected_by_document_id = coalesce($corrected_by, corrected_by_document_id)
where item_id = $item_id;
