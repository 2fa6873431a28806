-- What every document with an agency name prints about its agency, for tasks/identity/store.py: of
-- the documents $ids, or of all when $ids is null.
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
  and ($ids::varchar[] is null or d.document_id in (select unnest($ids::varchar[])))
order by d.document_id;
