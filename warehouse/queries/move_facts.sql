-- The facts of documents whose agency changed (a merge, a split, a reprocessed name), after
-- resolve_identities.sql: identity_moved holds document → its new agency_id.

update fct_table2 f set agency_id = i.agency_id
from identity_moved i
where f.document_id = i.document_id and f.agency_id <> i.agency_id;

update fct_table3 f set agency_id = i.agency_id
from identity_moved i
where f.document_id = i.document_id and f.agency_id <> i.agency_id;

update fct_table4 f set agency_id = i.agency_id
from identity_moved i
where f.document_id = i.document_id and f.agency_id <> i.agency_id;

update fct_legacy f set agency_id = i.agency_id
from identity_moved i
where f.document_id = i.document_id and f.agency_id <> i.agency_id;
