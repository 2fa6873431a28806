-- Whether a document other than the given ones was never resolved under a natural key (a warehouse
-- from before migration 010): then the next resolution takes every document, once.
select exists (
    select 1 from documents d
    where d.record is not null and d.agency_name is not null and d.natural_key is null
      and d.document_id not in (select unnest($ids::varchar[]))
);
