-- Why documents of a batch were accepted as printed, for those that were.
select document_id, reason
from acceptances
where document_id in (select unnest($ids::varchar[]));
