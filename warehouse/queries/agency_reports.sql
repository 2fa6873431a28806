-- The documents of one agency, with their status and whether each is the current report of its year.
select d.report_year, d.record->>'agency' as printed_name, d.status, c.report_role, d.publication_date,
       (select min(original_name) from document_arrivals x where x.document_id = d.document_id) as original_name,
       d.document_id
from documents d
left join current_reports c using (document_id)
where d.agency_id = $id
order by d.report_year, c.report_role nulls last, d.document_id;
