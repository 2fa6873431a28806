-- A small warehouse (national scale: ~100k reports a year). Cells are stored once: the record
-- (documents.record) holds every extracted cell with its position and null meaning, the facts hold
-- the loaded ones; stg_cells, a third copy, goes. What the current-report choice read from it (a
-- digest of the printed tables) is kept per document. Rule passes are kept as one result per
-- document and rule (instance '*', `instances` = how many) from the next load or `ogi reprocess` on;
-- failures and not-assessable results stay in detail.

alter table documents add column tables_digest varchar;
comment on column documents.tables_digest is 'md5 of every printed cell of tables 2-4 and the legacy figures (key=value|text, in key order): reports of one agency and year with equal digests are one report (current_reports).';

update documents d
set tables_digest = coalesce(
    (select md5(string_agg(c.table_name || '.' || c.row_key || '.' || c.column_key || '='
                           || coalesce(c.value::varchar, '') || '|' || coalesce(c.value_text, ''),
                           ';' order by c.table_name, c.row_key, c.column_key))
     from stg_cells c where c.document_id = d.document_id),
    md5(''));

drop table stg_cells;

alter table validation_results add column instances integer default 1;
comment on column validation_results.instances is 'How many instances the row stands for: 1 for a failure or not-assessable result; for a pass with instance ''*'', every passing instance of the rule in the document (those not listed in other rows).';
comment on table validation_results is 'Outcome of every statutory consistency rule (勾稽关系) per document: failures and not-assessable results per instance, with the cells on both sides; the passes of a rule in a document as one row (instance ''*'').';
comment on column documents.record is 'The canonical record (compact JSON) exactly as extracted: metadata and every cell with its position and null meaning (the one copy of the cells of reports not loaded).';
