-- Every natural key seen so far and the id it was first given.
select natural_key, agency_id from agency_keys;
