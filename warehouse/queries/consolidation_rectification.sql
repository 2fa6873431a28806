-- Rectification items still open (open or notified) of the agencies of one consolidation, for its
-- year: what each agency has yet to correct, for the workbook, the HTML report and the Word document.
-- A MISSING item of an agency the warehouse has never seen matches the name the roster gave.
with scope_agencies as (
    select agency_id, min(agency_name) as agency_name
    from consolidation_agencies
    where consolidation_key = $key and agency_id is not null
    group by agency_id
),
unseen_agencies as (
    select distinct agency_name
    from consolidation_agencies
    where consolidation_key = $key and agency_id is null
),
items as (
    select coalesce(a.agency_name, i.instance) as agency_name, i.*
    from rectification_items i
    join consolidations c on c.consolidation_key = $key and c.report_year = i.report_year
    left join scope_agencies a on a.agency_id = i.agency_id
    where i.status in ('open', 'notified')
      and (a.agency_id is not null
           or (i.agency_id is null and i.rule_id = 'MISSING' and i.instance in (select agency_name from unseen_agencies)))
)
select item_id, agency_name, report_year, rule_id,
       rule_id || '(' || instance || ')' as problem,
       message_zh, basis_zh, status, due_date,
       (due_date < current_date) as overdue  -- past its due date and still not rectified
from items
order by agency_name, rule_id, instance, item_id;
