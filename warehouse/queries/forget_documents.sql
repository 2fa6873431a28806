-- Before a batch is loaded again (after a correction, an acceptance or a reprocess): remove what
-- the earlier load derived from these documents. Arrivals, corrections and acceptances stay.
-- the agency each had, so a document loaded again keeps its agency's id (tasks/identity/rules.assign_ids)
create or replace temp table forgotten_agencies as
select document_id, agency_id from documents where document_id in (select document_id from batch_documents);
delete from fct_table2 where document_id in (select document_id from batch_documents);
delete from fct_table3 where document_id in (select document_id from batch_documents);
delete from fct_table4 where document_id in (select document_id from batch_documents);
delete from fct_legacy where document_id in (select document_id from batch_documents);
delete from validation_results where document_id in (select document_id from batch_documents);
delete from documents where document_id in (select document_id from batch_documents);
