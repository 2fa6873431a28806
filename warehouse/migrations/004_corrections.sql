-- Quarantine review: corrections of printed values and acceptances of reports whose source is wrong.

create table corrections (
    document_id      varchar not null,
    cell_key         varchar not null,  -- e.g. table3.granted.total
    table_name       varchar not null,
    row_key          varchar not null,
    column_key       varchar not null,
    printed_value    double,            -- the value as extracted from the document (null = blank)
    corrected_value  double not null,
    reason           varchar not null,
    corrected_by     varchar not null,
    corrected_at     timestamp not null,
    primary key (document_id, cell_key, corrected_at)
);
comment on table corrections is 'Corrections recorded in quarantine review: who changed which printed value, when and why. The latest per cell applies.';
comment on column corrections.document_id is 'Corrected document.';
comment on column corrections.cell_key is 'Canonical cell path, e.g. table3.granted.total or table4.review_total.';
comment on column corrections.table_name is 'table2, table3 or table4.';
comment on column corrections.row_key is 'Canonical row key (empty for table4).';
comment on column corrections.column_key is 'Canonical column key (the cell key for table4).';
comment on column corrections.printed_value is 'The value the document prints (kept; null when printed blank).';
comment on column corrections.corrected_value is 'The value used in the facts instead.';
comment on column corrections.reason is 'Why the printed value is wrong (free text, required).';
comment on column corrections.corrected_by is 'Who recorded the correction (user name).';
comment on column corrections.corrected_at is 'When it was recorded.';

create table acceptances (
    document_id     varchar primary key,
    rules_accepted  varchar not null,  -- the blocking failures accepted, e.g. R5(review)
    reason          varchar not null,
    accepted_by     varchar not null,
    accepted_at     timestamp not null
);
comment on table acceptances is 'Reports loaded although they fail blocking rules, because the source itself is wrong; the violations stay recorded.';
comment on column acceptances.document_id is 'Accepted document.';
comment on column acceptances.rules_accepted is 'The blocking failures accepted at the time.';
comment on column acceptances.reason is 'Why the report is accepted as printed.';
comment on column acceptances.accepted_by is 'Who accepted it.';
comment on column acceptances.accepted_at is 'When.';

create view v_current_corrections as
select *
from corrections
qualify row_number() over (partition by document_id, cell_key order by corrected_at desc) = 1;
comment on view v_current_corrections is 'The correction in force for each corrected cell (the latest one).';

alter table fct_table2 add column corrected boolean default false;
comment on column fct_table2.corrected is 'True when value comes from a correction (see corrections), not as printed.';
alter table fct_table3 add column corrected boolean default false;
comment on column fct_table3.corrected is 'True when requests comes from a correction (see corrections), not as printed.';
alter table fct_table4 add column corrected boolean default false;
comment on column fct_table4.corrected is 'True when cases comes from a correction (see corrections), not as printed.';

create view v_staged_documents as
with arrivals as (
    select document_id, min(original_name) as original_name, min(arrived_at) as arrived_at
    from document_arrivals
    group by document_id
)
select d.document_id, a.original_name, d.staged_path, d.size_bytes, a.arrived_at, d.status, d.record
from documents d
join arrivals a using (document_id);
comment on view v_staged_documents is 'Each document with where its bytes are staged, its first name and arrival: what reprocessing and review read.';
