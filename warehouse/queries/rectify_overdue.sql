-- Rectification items past their due date and not yet rectified (open or notified) on $as_of,
-- the longest overdue first: what the scheduled `rectification-overdue` deployment lists.
select i.item_id,
       coalesce(a.agency_name, case when i.rule_id = 'MISSING' then i.instance end) as agency_name,
       i.report_year, i.rule_id || '(' || i.instance || ')' as problem, i.status, i.due_date,
       date_diff('day', i.due_date, $as_of::date) as days_overdue,
       i.message_zh, i.document_id
from rectification_items i
left join dim_agency a on a.agency_id = i.agency_id
where i.status in ('open', 'notified') and i.due_date < $as_of::date
order by i.due_date, agency_name, i.rule_id, i.instance, i.item_id;
