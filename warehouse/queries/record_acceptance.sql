-- A new acceptance replaces an earlier one of the same document.
delete from acceptances where document_id in (select document_id from batch_step);

insert into acceptances
select document_id, rules_accepted, reason, accepted_by, accepted_at
from batch_step;
