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

-- The facts without primary-key indexes: an ART index over (document, row, column) took more room
-- than the facts themselves (fct_table3: ~15 KB per report against ~1.3 KB). A document's facts are
-- written once by the load (load_facts.sql skips documents that have them), so nothing relied on
-- the key but that insert. DuckDB cannot drop a key: each table is rebuilt and renamed, with its
-- comments (the views read the tables by name).

create table fct_table3_v9 (
    document_id  varchar not null,
    agency_id    integer not null,
    report_year  integer not null,
    row_key      varchar not null,
    column_key   varchar not null,
    requests     bigint,   -- number of requests; null when printed blank
    null_meaning varchar,
    position     varchar,
    corrected boolean default false
);
insert into fct_table3_v9 select * from fct_table3;
drop table fct_table3;
alter table fct_table3_v9 rename to fct_table3;
comment on table fct_table3 is 'Table 3 收到和处理政府信息公开申请情况: one row per cell of a loaded report.';
comment on column fct_table3.document_id is 'Source document.';
comment on column fct_table3.agency_id is 'Issuing agency (dim_agency).';
comment on column fct_table3.report_year is 'Year reported on (dim_year).';
comment on column fct_table3.row_key is 'Canonical row key, e.g. new_requests, granted, handled_total (see ref_table3_rows).';
comment on column fct_table3.column_key is 'Applicant column: natural_person, commercial, research, public_interest, legal_services, other_org, total.';
comment on column fct_table3.requests is 'Count of requests in the cell; null when printed blank.';
comment on column fct_table3.null_meaning is 'Why requests is null (blank, dash, ambiguous…).';
comment on column fct_table3.position is 'Where the number is in the source.';
comment on column fct_table3.corrected is 'True when requests comes from a correction (see corrections), not as printed.';

create table fct_table4_v9 (
    document_id  varchar not null,
    agency_id    integer not null,
    report_year  integer not null,
    cell_key     varchar not null,  -- e.g. review_upheld
    case_group   varchar not null,  -- review | litigation_direct | litigation_after_review
    outcome      varchar not null,  -- upheld | corrected | other | pending | total
    cases        bigint,
    null_meaning varchar,
    position     varchar,
    corrected boolean default false
);
insert into fct_table4_v9 select * from fct_table4;
drop table fct_table4;
alter table fct_table4_v9 rename to fct_table4;
comment on table fct_table4 is 'Table 4 行政复议、行政诉讼情况: one row per cell of a loaded report.';
comment on column fct_table4.document_id is 'Source document.';
comment on column fct_table4.agency_id is 'Issuing agency.';
comment on column fct_table4.report_year is 'Year reported on.';
comment on column fct_table4.cell_key is 'Canonical key, e.g. review_upheld, litigation_direct_total.';
comment on column fct_table4.case_group is 'review (行政复议), litigation_direct (未经复议直接起诉) or litigation_after_review (复议后起诉).';
comment on column fct_table4.outcome is 'upheld, corrected, other, pending or total.';
comment on column fct_table4.cases is 'Number of cases; null when printed blank.';
comment on column fct_table4.null_meaning is 'Why cases is null.';
comment on column fct_table4.position is 'Where the number is in the source.';
comment on column fct_table4.corrected is 'True when cases comes from a correction (see corrections), not as printed.';

create table fct_table2_v9 (
    document_id  varchar not null,
    agency_id    integer not null,
    report_year  integer not null,
    template     varchar not null,  -- the table-2 columns differ between 2019 and 2021
    row_key      varchar not null,
    column_key   varchar not null,
    value        double,            -- counts, or 万元 for amount_10k_yuan
    value_text   varchar,
    null_meaning varchar,
    position     varchar,
    corrected boolean default false
);
insert into fct_table2_v9 select * from fct_table2;
drop table fct_table2;
alter table fct_table2_v9 rename to fct_table2;
comment on table fct_table2 is 'Table 2 主动公开政府信息情况 (Art. 20 items): one row per cell of a loaded report.';
comment on column fct_table2.document_id is 'Source document.';
comment on column fct_table2.agency_id is 'Issuing agency.';
comment on column fct_table2.report_year is 'Year reported on.';
comment on column fct_table2.template is 'Template of the table-2 layout (2019 or 2021): column keys differ.';
comment on column fct_table2.row_key is 'rules, normative_documents, licensing, other_services, penalty, coercion, fees, central_procurement.';
comment on column fct_table2.column_key is 'issued, repealed, in_force, decisions, amount_10k_yuan (2021); made, published, published_total, items_prior_year, items_change, procurement_items, procurement_amount (2019).';
comment on column fct_table2.value is 'Count, or amount in 万元 for amount_10k_yuan; null when blank or printed with a unit (see value_text).';
comment on column fct_table2.value_text is 'The printed value where it carries a unit (e.g. procurement amount 251000元).';
comment on column fct_table2.null_meaning is 'Why value is null.';
comment on column fct_table2.position is 'Where the number is in the source.';
comment on column fct_table2.corrected is 'True when value comes from a correction (see corrections), not as printed.';

create table fct_legacy_v9 (
    document_id  varchar not null,
    agency_id    integer not null,
    report_year  integer not null,
    figure_key   varchar not null,  -- proactive_items, requests_received, … fees_10k_yuan
    value        double,
    position     varchar
);
insert into fct_legacy_v9 select * from fct_legacy;
drop table fct_legacy;
alter table fct_legacy_v9 rename to fct_legacy;
comment on table fct_legacy is 'Headline figures of pre-2019 reports (no national template), yearly values.';
comment on column fct_legacy.document_id is 'Source document.';
comment on column fct_legacy.agency_id is 'Issuing agency.';
comment on column fct_legacy.report_year is 'Year reported on.';
comment on column fct_legacy.figure_key is 'proactive_items, requests_received, requests_completed, reviews, lawsuits, complaints, fees_10k_yuan.';
comment on column fct_legacy.value is 'The yearly figure (fees in 万元).';
comment on column fct_legacy.position is 'Where the number is in the source.';
