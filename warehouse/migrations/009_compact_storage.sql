-- A small warehouse (national scale: ~100k reports a year). Cells are stored once: the record
-- (documents.record) holds every extracted cell with its position and null meaning, the facts hold
-- the loaded ones; stg_cells, a third copy, goes. What the current-report choice read from it (a
-- digest of the printed tables) is kept per document. Rule passes are kept as one result per
-- document and rule (instance '*', `instances` = how many) from the next load or `ogi reprocess` on;
-- failures and not-assessable results stay in detail. What every load reads of every document (the
-- printed agency for identity, the agency key for the cross-year pairs) becomes columns: parsing
-- every record's JSON per batch grows with the warehouse.

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

alter table documents add column agency_name varchar;
alter table documents add column agency_key varchar;
alter table documents add column division_code varchar;
alter table documents add column agency_level varchar;
alter table documents add column agency_kind varchar;
comment on column documents.agency_name is 'The agency name as the document prints it (record.agency).';
comment on column documents.agency_key is 'Division code / name without place names, as extracted (record.agency_key): pairs a report with the agency''s previous one for the cross-year rules.';
comment on column documents.division_code is 'Administrative division code found for the agency (record.division_code).';
comment on column documents.agency_level is 'Level inferred from the name (record.agency_level).';
comment on column documents.agency_kind is 'government or department (record.agency_kind).';

update documents
set agency_name = record->>'agency', agency_key = record->>'agency_key', division_code = record->>'division_code',
    agency_level = record->>'agency_level', agency_kind = record->>'agency_kind'
where record is not null;
