-- A new roster; its entries follow (roster_insert_entry), matched in the same transaction.
insert into rosters (report_year, region_code, source_file, source_sha256, entries, imported_by, imported_at, matched_at)
values ($year, $region::varchar, $file, $sha256, $entries, $by, $at, $at)
returning roster_id;
