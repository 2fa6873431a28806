-- Core schema: documents and their arrivals, dimensions, every extracted cell, facts, rule results.

create table dim_year (
    report_year          integer primary key,
    expected_template    varchar not null,  -- the national template in force for that year
    department_deadline  date,              -- Art. 49: departments publish by 31 Jan of year+1
    government_deadline  date               -- Art. 49: a government's own report by 31 Mar of year+1
);
comment on table dim_year is 'One row per report year (the year reported on, not the publication year).';
comment on column dim_year.report_year is 'The year the report covers (统计期限), e.g. 2023 for a report published in January 2024.';
comment on column dim_year.expected_template is 'Template in force for the year: 2021 (reports on 2021 and later), 2019 (reports on 2019 and 2020) or legacy (before 2019).';
comment on column dim_year.department_deadline is 'Statutory publication deadline for 县级以上人民政府部门 (31 January of the next year).';
comment on column dim_year.government_deadline is 'Statutory publication deadline for a local government''s own report (31 March of the next year).';

create sequence agency_id_seq;
create table dim_agency (
    agency_id      integer primary key default nextval('agency_id_seq'),
    agency_name    varchar not null unique,  -- the issuing agency's full name as the report gives it
    division_code  varchar,                  -- 6-digit GB/T 2260 code, from the credit code or 索引号
    province       varchar,
    county         varchar,
    agency_level   varchar,                  -- ministry | province | city | county | township
    agency_kind    varchar                   -- government | department
);
comment on table dim_agency is 'Issuing agencies (发布机构), one row per distinct full name.';
comment on column dim_agency.agency_id is 'Surrogate key used by the fact tables.';
comment on column dim_agency.agency_name is 'Full name as printed in the report title or signature.';
comment on column dim_agency.division_code is 'Administrative division code (6 digits) found in the unified social credit code or the 索引号; null if none validated.';
comment on column dim_agency.province is 'Province name for division_code (python-stdnum historical table).';
comment on column dim_agency.county is 'County/city name for division_code.';
comment on column dim_agency.agency_level is 'ministry, province, city, county or township, inferred from the name.';
comment on column dim_agency.agency_kind is 'government (人民政府/管委会/办事处) or department.';

create table documents (
    document_id        varchar primary key,  -- sha256 of the bytes
    staged_path        varchar not null,
    size_bytes         bigint not null,
    format             varchar,
    encoding           varchar,
    status             varchar not null,     -- loaded | quarantined | rejected | needs_ocr | encrypted | unsupported | not_a_report
    status_reason      varchar,
    agency_id          integer,
    report_year        integer,
    template           varchar,
    publication_date   date,
    index_number       varchar,
    credit_code        varchar,
    extractor_version  varchar,
    suite_version      varchar,
    warnings           varchar[],
    record             json,                 -- the full canonical record as extracted
    processed_at       timestamp not null
);
comment on table documents is 'Every staged document exactly once (content-addressed), with what became of it.';
comment on column documents.document_id is 'sha256 of the file bytes: the same bytes under any name are one document.';
comment on column documents.staged_path is 'Where the content-addressed copy lives in the staging store.';
comment on column documents.size_bytes is 'File size in bytes.';
comment on column documents.format is 'Detected format: html, text, pdf, docx.';
comment on column documents.encoding is 'Detected text encoding (utf-8, gb18030…) for web pages and text.';
comment on column documents.status is 'loaded (facts in fct_*), quarantined (blocking rule failed, see validation_results), rejected/needs_ocr/encrypted/unsupported (unreadable, see status_reason), not_a_report.';
comment on column documents.status_reason is 'Why a document is not loaded: the failing rule ids or the reader''s message.';
comment on column documents.agency_id is 'Issuing agency (dim_agency).';
comment on column documents.report_year is 'Year reported on (dim_year).';
comment on column documents.template is 'Layout the report uses: 2021, 2019 or legacy.';
comment on column documents.publication_date is 'Publication date found in the page or signature.';
comment on column documents.index_number is '索引号 as printed.';
comment on column documents.credit_code is 'Unified social credit code found in the document (check digit validated).';
comment on column documents.extractor_version is 'Version of the extractor that produced the record.';
comment on column documents.suite_version is 'Version of the rule catalogue the record was gated with.';
comment on column documents.warnings is 'Extraction warnings (ambiguous digits, blank cells read, rows not found…).';
comment on column documents.record is 'The canonical record (JSON) exactly as extracted.';
comment on column documents.processed_at is 'When the document was extracted, gated and loaded/quarantined.';

create table document_arrivals (
    document_id    varchar not null,
    original_name  varchar not null,
    arrived_at     timestamp not null,
    primary key (document_id, original_name)
);
comment on table document_arrivals is 'Each name under which a document arrived, and when it first arrived so.';
comment on column document_arrivals.document_id is 'sha256 of the bytes (documents.document_id).';
comment on column document_arrivals.original_name is 'File name as it arrived in the inbox.';
comment on column document_arrivals.arrived_at is 'When it was first staged under that name.';

create table stg_cells (
    document_id   varchar not null,
    table_name    varchar not null,  -- table2 | table3 | table4 | legacy
    row_key       varchar not null,  -- canonical row key ('' for table 4 and legacy)
    column_key    varchar not null,  -- canonical column key (cell key for table 4 / legacy)
    value         double,            -- null when printed blank, dash, 无… or ambiguous
    value_text    varchar,           -- the value as text where it is not a number (e.g. '251000元')
    null_meaning  varchar,           -- blank | dash | slash | none | ambiguous | derived …
    position      varchar,           -- where in the source: 'L123' or 'p.4 [x0,top,x1,bottom]'
    primary key (document_id, table_name, row_key, column_key)
);
comment on table stg_cells is 'Every extracted cell of every extracted document, loaded or quarantined (long form).';
comment on column stg_cells.document_id is 'Source document (documents.document_id).';
comment on column stg_cells.table_name is 'table2, table3, table4 or legacy.';
comment on column stg_cells.row_key is 'Canonical row key (canonical-keys.md); empty for table4 and legacy.';
comment on column stg_cells.column_key is 'Canonical column key, or the cell key for table4 / legacy figures.';
comment on column stg_cells.value is 'Numeric value as printed; null when the cell is blank, a dash, 无, or could not be read unambiguously.';
comment on column stg_cells.value_text is 'Printed text where the value is not a plain number (amount with a unit).';
comment on column stg_cells.null_meaning is 'What a null stands for: blank, dash, slash, none (无), ambiguous, missing, derived.';
comment on column stg_cells.position is 'Where the number is in the source (line, or page and bounding box).';

create table validation_results (
    document_id    varchar not null,
    rule_id        varchar not null,
    severity       varchar not null,  -- blocking | warning
    outcome        varchar not null,  -- pass | fail | not_assessable
    instance       varchar not null,  -- the column, row, group or cell the check was applied to
    message_zh     varchar,
    message_en     varchar,
    cells          json,              -- operands: key, value, position
    suite_version  varchar,
    validated_at   timestamp not null
);
comment on table validation_results is 'Outcome of every statutory consistency rule (勾稽关系) per document and instance.';
comment on column validation_results.document_id is 'Document checked.';
comment on column validation_results.rule_id is 'Rule id from expectations/ (R1, R2, R3, R5, R6, W_…); never changes meaning.';
comment on column validation_results.severity is 'blocking (a fail quarantines the report) or warning.';
comment on column validation_results.outcome is 'pass, fail, or not_assessable (an operand was printed blank: never counted as a pass).';
comment on column validation_results.instance is 'Which column/row/group/cell the identity was checked on.';
comment on column validation_results.message_zh is 'Message in Chinese.';
comment on column validation_results.message_en is 'Message in English.';
comment on column validation_results.cells is 'The cells on each side of the identity, with values and source positions.';
comment on column validation_results.suite_version is 'Version of the rule catalogue.';
comment on column validation_results.validated_at is 'When the validation ran.';
