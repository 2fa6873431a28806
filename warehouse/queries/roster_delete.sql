-- Remove a roster replaced by a new import of the same year and region.
delete from roster_entries where roster_id = $roster_id;
delete from rosters where roster_id = $roster_id;
