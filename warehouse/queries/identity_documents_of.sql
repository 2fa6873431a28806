-- What the given documents print about their agency (identity_documents.sql for a part of the warehouse).
select d.document_id,
       d.agency_name,
       d.report_year,
       d.division_code,
       d.credit_code,
       d.agency_level,
       d.agency_kind,
       d.agency_id,
       d.processed_at
from documents d
where d.record is not null and d.agency_name is not null
  and d.document_id in (select unnest($ids::varchar[]))
order by d.document_id;
