-- Open and notified MISSING items whose agency (by id, or by the listed name once it is loaded or
-- an imported roster's unit of that name is matched)
-- now has a current report for the year: the report that arrived.
select i.item_id, i.status, c.document_id, c.agency_id
from rectification_items i
join current_reports c
  on c.report_year = i.report_year and c.report_role = 'current'
 and c.agency_id = coalesce(i.agency_id,
                             (select min(n.agency_id) from agency_names n where n.agency_name = i.instance),
                             (select min(e.agency_id) from roster_entries e join rosters r using (roster_id)
                              where r.report_year = i.report_year and e.listed_name = i.instance))
where i.rule_id = 'MISSING' and i.status in ('open', 'notified')
order by i.item_id;
