-- The roster of a report year and region (null region: the roster of every region), if any.
select roster_id, imported_by, imported_at
from rosters
where report_year = $year and region_code is not distinct from $region::varchar
order by roster_id;
