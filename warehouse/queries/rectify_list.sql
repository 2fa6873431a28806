-- Rectification items with their agency, optionally one year, one agency (id or part of a name) and one status.
select i.item_id, i.agency_id,
       coalesce(a.agency_name, case when i.rule_id = 'MISSING' then i.instance end) as agency_name,
       i.report_year, i.rule_id, i.instance,
       i.rule_id || '(' || i.instance || ')' as problem, i.severity, i.accepted, i.status,
       i.message_zh, i.basis_zh, i.evidence::varchar as evidence, i.document_id,
       coalesce(d.original_name, '') as original_name, i.raised_at, i.due_date, i.status_changed_at,
       i.corrected_by_document_id, i.last_checked_document_id, i.last_checked_at
from rectification_items i
left join dim_agency a on a.agency_id = i.agency_id
left join (select document_id, min(original_name) as original_name from document_arrivals group by document_id) d
  on d.document_id = i.document_id
where ($year is null or i.report_year = $year)
  and ($agency is null or cast(i.agency_id as varchar) = $agency
       or coalesce(a.agency_name, i.instance) like '%' || $agency || '%')
  and ($status is null or i.status = $status)
order by i.agency_id, i.report_year, i.rule_id, i.instance, i.item_id;
