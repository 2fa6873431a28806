-- Of the given documents, the loaded ones that are not the current report of their agency and year.
select c.document_id,
       (select min(original_name) from document_arrivals a where a.document_id = c.document_id) as name,
       c.report_role, c.current_document_id
from current_reports c
where c.document_id in (select unnest($ids::varchar[])) and c.report_role <> 'current'
order by c.report_role, name;
