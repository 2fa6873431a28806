-- Every roster, to match its entries again after the agencies were resolved.
select roster_id, report_year, region_code
from rosters
order by roster_id;
