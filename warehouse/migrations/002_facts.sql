-- Facts in long form, keyed by the canonical keys, for loaded (passing) reports only.

create table fct_table3 (
    document_id  varchar not null,
    agency_id    integer not null,
    report_year  integer not null,
    row_key      varchar not null,
    column_key   varchar not null,
    requests     bigint,   -- number of requests; null when printed blank
    null_meaning varchar,
    position     varchar,
    primary key (document_id, row_key, column_key)
);
comment on table fct_table3 is 'Table 3 收到和处理政府信息公开申请情况: one row per cell of a loaded report.';
comment on column fct_table3.document_id is 'Source document.';
comment on column fct_table3.agency_id is 'Issuing agency (dim_agency).';
comment on column fct_table3.report_year is 'Year reported on (dim_year).';
comment on column fct_table3.row_key is 'Canonical row key, e.g. new_requests, granted, handled_total (see ref_table3_rows).';
comment on column fct_table3.column_key is 'Applicant column: natural_person, commercial, research, public_interest, legal_services, other_org, total.';
comment on column fct_table3.requests is 'Count of requests in the cell; null when printed blank.';
comment on column fct_table3.null_meaning is 'Why requests is null (blank, dash, ambiguous…).';
comment on column fct_table3.position is 'Where the number is in the source.';

create table fct_table4 (
    document_id  varchar not null,
    agency_id    integer not null,
    report_year  integer not null,
    cell_key     varchar not null,  -- e.g. review_upheld
    case_group   varchar not null,  -- review | litigation_direct | litigation_after_review
    outcome      varchar not null,  -- upheld | corrected | other | pending | total
    cases        bigint,
    null_meaning varchar,
    position     varchar,
    primary key (document_id, cell_key)
);
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

create table fct_table2 (
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
    primary key (document_id, row_key, column_key)
);
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

create table fct_legacy (
    document_id  varchar not null,
    agency_id    integer not null,
    report_year  integer not null,
    figure_key   varchar not null,  -- proactive_items, requests_received, … fees_10k_yuan
    value        double,
    position     varchar,
    primary key (document_id, figure_key)
);
comment on table fct_legacy is 'Headline figures of pre-2019 reports (no national template), yearly values.';
comment on column fct_legacy.document_id is 'Source document.';
comment on column fct_legacy.agency_id is 'Issuing agency.';
comment on column fct_legacy.report_year is 'Year reported on.';
comment on column fct_legacy.figure_key is 'proactive_items, requests_received, requests_completed, reviews, lawsuits, complaints, fees_10k_yuan.';
comment on column fct_legacy.value is 'The yearly figure (fees in 万元).';
comment on column fct_legacy.position is 'Where the number is in the source.';
