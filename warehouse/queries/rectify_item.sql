-- One rectification item by id.
select item_id, status from rectification_items where item_id = $item_id;
