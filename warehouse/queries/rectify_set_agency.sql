-- A missing report's agency, once it is known.
update rectification_items set agency_id = coalesce(agency_id, $agency_id) where item_id = $item_id;
