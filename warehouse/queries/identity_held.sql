-- The agency the given documents hold now (before this resolution), any status.
select agency_id from documents
where document_id in (select unnest($ids::varchar[])) and agency_id is not null;
