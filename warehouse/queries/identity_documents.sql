-- What every document with an agency name prints about its agency, for tasks/identity/store.py.
select d.document_id,
       d.record->>'agency' as agency_name,
       d.report_year,
       d.record->>'division_code' as division_code,
       d.credit_code,
       d.record->>'agency_level' as agency_level,
       d.record->>'agency_kind' as agency_kind,
       d.agency_id,
       d.processed_at
from documents d
where d.record is not null and d.record->>'agency' is not null
order by d.document_id;
