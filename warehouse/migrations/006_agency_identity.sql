-- Agency identity: one dim_agency row per real agency (not per printed name), every printed name,
-- the keys that identify an agency across years, one current report per agency and year, and the
-- panel view. Rows are filled by tasks/identity (on every load, reprocess and `ogi agencies`
-- change); `ogi reprocess` fills them for a warehouse built before this migration.

create table dim_agency_v6 (
    agency_id      integer primary key,
    natural_key    varchar not null unique,  -- division code / name without place names (or name:…)
    agency_name    varchar not null,         -- the name printed in the agency's latest report
    short_name     varchar not null,         -- the name without place names: 人民政府, 信访局…
    division_code  varchar,
    province       varchar,
    county         varchar,
    agency_level   varchar,
    agency_kind    varchar,
    parent_id      integer,
    credit_code    varchar,
    first_year     integer,
    last_year      integer
);
insert into dim_agency_v6
select agency_id, 'name:' || agency_name, agency_name, agency_name, division_code, province, county,
       agency_level, agency_kind, null, null, null, null
from dim_agency;
drop table dim_agency;
alter table dim_agency_v6 rename to dim_agency;
comment on table dim_agency is 'Issuing agencies (发布机构), one row per real agency across renames and place-name prefixes (tasks/identity/rules.py; overrides in the agency overrides file).';
comment on column dim_agency.agency_id is 'Surrogate key used by the fact tables; stable across runs, reprocessing and renames.';
comment on column dim_agency.natural_key is 'The agency''s identity: latest division code / name without place names (e.g. 320813/人民政府); name:<full name> without a division code; split:<name> for a name split off by an override.';
comment on column dim_agency.agency_name is 'Full name as printed in the agency''s latest report (every printed name: agency_names).';
comment on column dim_agency.short_name is 'The name without the place names in it (人民政府, 信访局, 乌蒙镇人民政府).';
comment on column dim_agency.division_code is 'Administrative division code (6 digits, GB/T 2260), the latest code of the place (洪泽县 320829 → 洪泽区 320813); null if none is known.';
comment on column dim_agency.province is 'Province name for division_code (python-stdnum historical table).';
comment on column dim_agency.county is 'County/city name for division_code.';
comment on column dim_agency.agency_level is 'ministry, province, city, county or township, inferred from the latest printed name.';
comment on column dim_agency.agency_kind is 'government (人民政府/管委会/办事处…) or department.';
comment on column dim_agency.parent_id is 'The agency above it: a department or a town → the government of its division; a county government → its city''s; a city''s → its province''s. Null when that agency is not in the warehouse.';
comment on column dim_agency.credit_code is 'Unified social credit code printed in its reports (check digit valid), if any.';
comment on column dim_agency.first_year is 'First report year it has a document for.';
comment on column dim_agency.last_year is 'Last report year it has a document for.';

create table agency_keys (
    natural_key  varchar primary key,
    agency_id    integer not null,
    assigned_at  timestamp not null
);
comment on table agency_keys is 'Every natural key ever seen and the agency_id it was first given; an agency (merged keys) takes the smallest id of its keys, so ids never change when documents are added or reprocessed.';
comment on column agency_keys.natural_key is 'Natural key (dim_agency.natural_key).';
comment on column agency_keys.agency_id is 'The id this key was given when first seen.';
comment on column agency_keys.assigned_at is 'When.';

create table agency_names (
    agency_id     integer not null,
    agency_name   varchar not null,
    first_year    integer,
    last_year     integer,
    documents     integer not null,
    document_ids  varchar[] not null,
    primary key (agency_id, agency_name)
);
comment on table agency_names is 'Every name an agency printed, with the first and last report year and the documents printing it.';
comment on column agency_names.agency_id is 'The agency (dim_agency).';
comment on column agency_names.agency_name is 'The name as printed in a report.';
comment on column agency_names.first_year is 'First report year printed under this name.';
comment on column agency_names.last_year is 'Last report year printed under this name.';
comment on column agency_names.documents is 'Number of documents printing it.';
comment on column agency_names.document_ids is 'Those documents (documents.document_id).';

create table agency_overrides (
    seq          integer primary key,
    action       varchar not null,  -- merge | alias | split
    agency       varchar not null,  -- natural key of the agency concerned
    other        varchar,           -- merge: the natural key merged into it
    agency_name  varchar,           -- alias | split: the printed name
    reason       varchar not null,
    decided_by   varchar not null,
    decided_at   timestamp not null
);
comment on table agency_overrides is 'The overrides file as last applied: what the identity rules could not decide, with who decided it, when and why.';
comment on column agency_overrides.seq is 'Order in the file (later ones win).';
comment on column agency_overrides.action is 'merge (two agencies are one), alias (documents printing the name belong to the agency), split (documents printing the name are an agency of their own).';
comment on column agency_overrides.agency is 'Natural key of the agency concerned.';
comment on column agency_overrides.other is 'For merge: the natural key of the agency merged into it.';
comment on column agency_overrides.agency_name is 'For alias and split: the printed name.';
comment on column agency_overrides.reason is 'Why (free text, required).';
comment on column agency_overrides.decided_by is 'Who decided.';
comment on column agency_overrides.decided_at is 'When.';

create table current_reports (
    document_id          varchar primary key,
    agency_id            integer not null,
    report_year          integer not null,
    report_role          varchar not null,  -- current | duplicate | superseded
    current_document_id  varchar not null,
    tables_digest        varchar not null,
    needs_review         boolean not null,
    reason               varchar
);
comment on table current_reports is 'Every loaded report and whether it is the current one of its agency and year. Rule: reports with identical tables are one report (the first to arrive is kept, the others are duplicate); of reports with different tables the later publication date (else the later first arrival) is current and the others are superseded and flagged for review.';
comment on column current_reports.document_id is 'A loaded document.';
comment on column current_reports.agency_id is 'Its agency.';
comment on column current_reports.report_year is 'Year reported on.';
comment on column current_reports.report_role is 'current (the one in v_panel and the consolidations), duplicate (same tables as another report of the agency and year), superseded (different tables; a later report replaces it).';
comment on column current_reports.current_document_id is 'The current report of the agency and year (itself when current).';
comment on column current_reports.tables_digest is 'md5 of every printed cell of tables 2-4 and legacy figures: equal digests are identical tables.';
comment on column current_reports.needs_review is 'True for a superseded report: two different versions of one report exist, a person should check which is right.';
comment on column current_reports.reason is 'Why the report is not current.';

alter table consolidation_yoy add column like_value bigint;
alter table consolidation_yoy add column like_value_prior_year bigint;
alter table consolidation_yoy add column like_change bigint;
alter table consolidation_yoy add column like_change_pct double;
comment on column consolidation_yoy.like_value is 'Like for like: the value for the year over the agencies summed in both years only.';
comment on column consolidation_yoy.like_value_prior_year is 'Like for like: the value for the year before over the same agencies.';
comment on column consolidation_yoy.like_change is 'like_value - like_value_prior_year.';
comment on column consolidation_yoy.like_change_pct is 'like_change in percent of like_value_prior_year; null when that is 0 or null.';
alter table consolidations add column agencies_like_for_like integer;
comment on column consolidations.agencies_like_for_like is 'Agencies with a summed report in both the year and the year before (the like-for-like change is over them).';

create view v_panel as
with cur as (
    select c.document_id, c.agency_id, c.report_year,
           (select count(*) from current_reports o
            where o.agency_id = c.agency_id and o.report_year = c.report_year and o.document_id <> c.document_id) as other_reports
    from current_reports c
    where c.report_role = 'current'
),
t3 as (
    select document_id,
           max(requests) filter (where row_key = 'new_requests') as new_requests,
           max(requests) filter (where row_key = 'carried_over_in') as carried_over_in,
           max(requests) filter (where row_key = 'granted') as granted,
           max(requests) filter (where row_key = 'partially_granted') as partially_granted,
           max(requests) filter (where row_key = 'handled_total') as handled_total,
           max(requests) filter (where row_key = 'carried_over_out') as carried_over_out
    from fct_table3
    where column_key = 'total'
    group by document_id
),
t4 as (
    select document_id,
           max(cases) filter (where cell_key = 'review_total') as reviews_total,
           max(cases) filter (where cell_key = 'review_corrected') as reviews_corrected,
           max(cases) filter (where cell_key = 'litigation_direct_total') as lawsuits_direct_total,
           max(cases) filter (where cell_key = 'litigation_after_review_total') as lawsuits_after_review_total
    from fct_table4
    group by document_id
),
t2 as (
    select document_id,
           max(value) filter (where row_key = 'normative_documents' and column_key = 'issued') as normative_documents_issued,
           max(value) filter (where row_key = 'licensing' and column_key = 'decisions') as licensing_decisions,
           max(value) filter (where row_key = 'penalty' and column_key = 'decisions') as penalty_decisions
    from fct_table2
    group by document_id
)
select
    c.agency_id,
    d.record->>'agency' as agency_name,
    a.agency_name as agency_current_name,
    c.report_year,
    c.document_id,
    d.template,
    d.publication_date,
    a.division_code,
    a.agency_level,
    a.agency_kind,
    a.parent_id,
    p.agency_name as parent_name,
    c.other_reports,
    t3.new_requests,
    t3.carried_over_in,
    t3.granted,
    t3.partially_granted,
    t3.handled_total,
    t3.carried_over_out,
    t4.reviews_total,
    t4.reviews_corrected,
    t4.lawsuits_direct_total,
    t4.lawsuits_after_review_total,
    case when t4.lawsuits_direct_total is not null or t4.lawsuits_after_review_total is not null
         then coalesce(t4.lawsuits_direct_total, 0) + coalesce(t4.lawsuits_after_review_total, 0) end as lawsuits_total,
    t2.normative_documents_issued,
    t2.licensing_decisions,
    t2.penalty_decisions
from cur c
join documents d using (document_id)
join dim_agency a on a.agency_id = c.agency_id
left join dim_agency p on p.agency_id = a.parent_id
left join t3 on t3.document_id = c.document_id
left join t4 on t4.document_id = c.document_id
left join t2 on t2.document_id = c.document_id;
comment on view v_panel is 'The panel: one row per agency and report year, its current report (current_reports) with the headline figures of tables 2-4. Null = printed blank (or not in the template).';
comment on column v_panel.agency_id is 'The agency (dim_agency), the same across renames and place-name prefixes.';
comment on column v_panel.agency_name is 'The agency''s name as printed in this report.';
comment on column v_panel.agency_current_name is 'The name printed in the agency''s latest report.';
comment on column v_panel.report_year is 'Year reported on.';
comment on column v_panel.document_id is 'The current report of the agency and year.';
comment on column v_panel.template is 'Layout of the report: 2021, 2019 or legacy (legacy reports have no tables 2-4: their figures are in fct_legacy).';
comment on column v_panel.publication_date is 'Publication date found in the report.';
comment on column v_panel.division_code is 'The agency''s division code (dim_agency).';
comment on column v_panel.agency_level is 'ministry, province, city, county or township.';
comment on column v_panel.agency_kind is 'government or department.';
comment on column v_panel.parent_id is 'The agency above it (dim_agency.parent_id).';
comment on column v_panel.parent_name is 'Its name.';
comment on column v_panel.other_reports is 'Other loaded reports of the agency and year (duplicate or superseded, see current_reports).';
comment on column v_panel.new_requests is 'Table 3 一、本年新收政府信息公开申请数量, 总计.';
comment on column v_panel.carried_over_in is 'Table 3 二、上年结转政府信息公开申请数量, 总计.';
comment on column v_panel.granted is 'Table 3 三(一) 予以公开, 总计.';
comment on column v_panel.partially_granted is 'Table 3 三(二) 部分公开, 总计.';
comment on column v_panel.handled_total is 'Table 3 三(七) 总计 (requests handled), 总计.';
comment on column v_panel.carried_over_out is 'Table 3 四、结转下年度继续办理, 总计.';
comment on column v_panel.reviews_total is 'Table 4 行政复议 总计.';
comment on column v_panel.reviews_corrected is 'Table 4 行政复议 结果纠正.';
comment on column v_panel.lawsuits_direct_total is 'Table 4 行政诉讼 未经复议直接起诉 总计.';
comment on column v_panel.lawsuits_after_review_total is 'Table 4 行政诉讼 复议后起诉 总计.';
comment on column v_panel.lawsuits_total is 'Table 4 行政诉讼 总计: direct plus after review; null when both are blank.';
comment on column v_panel.normative_documents_issued is 'Table 2 行政规范性文件 本年制发件数 (2021 template).';
comment on column v_panel.licensing_decisions is 'Table 2 行政许可 (本年)处理决定数量.';
comment on column v_panel.penalty_decisions is 'Table 2 行政处罚 (本年)处理决定数量.';
