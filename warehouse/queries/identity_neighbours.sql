-- Documents an incremental resolution must take with the given ones: those resolved under one of
-- their natural keys, printing one of their credit codes, or of one of their agencies.
select d.document_id
from documents d
where d.record is not null and d.agency_name is not null
  and (d.natural_key in (select unnest($keys::varchar[]))
       or d.credit_code in (select unnest($codes::varchar[]))
       or d.agency_id in (select unnest($agencies::integer[])));
