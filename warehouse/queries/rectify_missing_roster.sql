-- Units of the imported rosters of $year (ogi roster import) without a current report for the year
-- and without a MISSING item for that year yet: each a missing report to raise, an agency once
-- however many of its names are listed. A unit no agency matches is raised by its listed name.
with units as (
    select first(e.listed_name order by e.roster_id, e.seq) as listed_name, e.agency_id
    from roster_entries e
    join rosters r using (roster_id)
    where r.report_year = $year and e.agency_id is not null
    group by e.agency_id
    union
    select e.listed_name, null
    from roster_entries e
    join rosters r using (roster_id)
    where r.report_year = $year and e.agency_id is null
)
select u.listed_name, u.agency_id
from units u
where not exists (select 1 from current_reports c
                  where c.agency_id = u.agency_id and c.report_year = $year and c.report_role = 'current')
  and not exists (select 1 from rectification_items i
                  where i.rule_id = 'MISSING' and i.report_year = $year
                    and (i.instance = u.listed_name or i.agency_id = u.agency_id))
order by u.listed_name;
