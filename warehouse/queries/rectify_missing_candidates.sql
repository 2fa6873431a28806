-- Agencies of a roster ($names: full names, any name an agency printed) without a current report
-- for $year and without a MISSING item for that year yet: each a missing report to raise.
with listed as (
    select name, (select min(n.agency_id) from agency_names n where n.agency_name = name) as agency_id
    from (select distinct unnest($names::varchar[]) as name)
)
select l.name, l.agency_id
from listed l
where not exists (select 1 from current_reports c
                  where c.agency_id = l.agency_id and c.report_year = $year and c.report_role = 'current')
  and not exists (select 1 from rectification_items i
                  where i.rule_id = 'MISSING' and i.instance = l.name and i.report_year = $year)
order by l.name;
