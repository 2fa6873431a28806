-- The annual consolidation: statutory tables summed over a scope of agencies for one year, which
-- expected agencies have no usable report, and the change on the year before. Written by
-- tasks/consolidate.py (warehouse/queries/consolidate.sql), one transaction per consolidation.

create table ref_table2_cells (
    template         varchar not null,  -- 2019 | 2021
    row_key          varchar not null,
    column_key       varchar not null,
    seq              integer not null,
    item_zh          varchar not null,  -- 第二十条第(X)项
    row_label_zh     varchar not null,
    column_label_zh  varchar not null,
    primary key (template, row_key, column_key)
);
comment on table ref_table2_cells is 'Table 2 cells of each template in printed order, with their Chinese labels.';
comment on column ref_table2_cells.template is 'Template that prints the cell: 2019 (trial) or 2021.';
comment on column ref_table2_cells.row_key is 'Canonical row key (rules, normative_documents, licensing…).';
comment on column ref_table2_cells.column_key is 'Canonical column key (issued, decisions, amount_10k_yuan…).';
comment on column ref_table2_cells.seq is 'Printed order within the template (row by row, then column).';
comment on column ref_table2_cells.item_zh is 'Block of the table: the item of Art. 20 it reports on, e.g. 第二十条第(一)项.';
comment on column ref_table2_cells.row_label_zh is 'Printed row label (信息内容).';
comment on column ref_table2_cells.column_label_zh is 'Printed column label.';
insert into ref_table2_cells values
    ('2021', 'rules', 'issued', 1, '第二十条第(一)项', '规章', '本年制发件数'),
    ('2021', 'rules', 'repealed', 2, '第二十条第(一)项', '规章', '本年废止件数'),
    ('2021', 'rules', 'in_force', 3, '第二十条第(一)项', '规章', '现行有效件数'),
    ('2021', 'normative_documents', 'issued', 4, '第二十条第(一)项', '行政规范性文件', '本年制发件数'),
    ('2021', 'normative_documents', 'repealed', 5, '第二十条第(一)项', '行政规范性文件', '本年废止件数'),
    ('2021', 'normative_documents', 'in_force', 6, '第二十条第(一)项', '行政规范性文件', '现行有效件数'),
    ('2021', 'licensing', 'decisions', 7, '第二十条第(五)项', '行政许可', '本年处理决定数量'),
    ('2021', 'penalty', 'decisions', 8, '第二十条第(六)项', '行政处罚', '本年处理决定数量'),
    ('2021', 'coercion', 'decisions', 9, '第二十条第(六)项', '行政强制', '本年处理决定数量'),
    ('2021', 'fees', 'amount_10k_yuan', 10, '第二十条第(八)项', '行政事业性收费', '本年收费金额(单位:万元)'),
    ('2019', 'rules', 'made', 1, '第二十条第(一)项', '规章', '本年新制作数量'),
    ('2019', 'rules', 'published', 2, '第二十条第(一)项', '规章', '本年新公开数量'),
    ('2019', 'rules', 'published_total', 3, '第二十条第(一)项', '规章', '对外公开总数量'),
    ('2019', 'normative_documents', 'made', 4, '第二十条第(一)项', '规范性文件', '本年新制作数量'),
    ('2019', 'normative_documents', 'published', 5, '第二十条第(一)项', '规范性文件', '本年新公开数量'),
    ('2019', 'normative_documents', 'published_total', 6, '第二十条第(一)项', '规范性文件', '对外公开总数量'),
    ('2019', 'licensing', 'items_prior_year', 7, '第二十条第(五)项', '行政许可', '上一年项目数量'),
    ('2019', 'licensing', 'items_change', 8, '第二十条第(五)项', '行政许可', '本年增/减'),
    ('2019', 'licensing', 'decisions', 9, '第二十条第(五)项', '行政许可', '处理决定数量'),
    ('2019', 'other_services', 'items_prior_year', 10, '第二十条第(五)项', '其他对外管理服务事项', '上一年项目数量'),
    ('2019', 'other_services', 'items_change', 11, '第二十条第(五)项', '其他对外管理服务事项', '本年增/减'),
    ('2019', 'other_services', 'decisions', 12, '第二十条第(五)项', '其他对外管理服务事项', '处理决定数量'),
    ('2019', 'penalty', 'items_prior_year', 13, '第二十条第(六)项', '行政处罚', '上一年项目数量'),
    ('2019', 'penalty', 'items_change', 14, '第二十条第(六)项', '行政处罚', '本年增/减'),
    ('2019', 'penalty', 'decisions', 15, '第二十条第(六)项', '行政处罚', '处理决定数量'),
    ('2019', 'coercion', 'items_prior_year', 16, '第二十条第(六)项', '行政强制', '上一年项目数量'),
    ('2019', 'coercion', 'items_change', 17, '第二十条第(六)项', '行政强制', '本年增/减'),
    ('2019', 'coercion', 'decisions', 18, '第二十条第(六)项', '行政强制', '处理决定数量'),
    ('2019', 'fees', 'items_prior_year', 19, '第二十条第(八)项', '行政事业性收费', '上一年项目数量'),
    ('2019', 'fees', 'items_change', 20, '第二十条第(八)项', '行政事业性收费', '本年增/减'),
    ('2019', 'central_procurement', 'procurement_items', 21, '第二十条第(九)项', '政府集中采购', '采购项目数量'),
    ('2019', 'central_procurement', 'procurement_amount', 22, '第二十条第(九)项', '政府集中采购', '采购总金额');

create table consolidations (
    consolidation_key         varchar primary key,  -- e.g. '2023', '2023/region=4303', '2023/kind=department'
    report_year               integer not null,
    region_code               varchar,              -- division-code prefix, null for every region
    agency_list               varchar[],            -- the agencies asked for, null when not a list
    agency_kind               varchar,              -- department | government | null for both
    agencies_expected         integer not null,
    reports_summed            integer not null,
    reports_summed_prior_year integer not null,
    agencies_quarantined      integer not null,
    agencies_missing          integer not null,
    consolidated_at           timestamp not null
);
comment on table consolidations is 'One row per consolidation (year × scope); running it again replaces it.';
comment on column consolidations.consolidation_key is 'The year and scope, e.g. 2023, 2023/region=4303, 2023/kind=department, 2023/list=<hash of the names>.';
comment on column consolidations.report_year is 'Year reported on.';
comment on column consolidations.region_code is 'Division-code prefix selecting agencies by dim_agency.division_code; null when not filtered by region.';
comment on column consolidations.agency_list is 'Agency names given as the expected list; null when the scope is a region or everything.';
comment on column consolidations.agency_kind is 'department or government when only those agencies are consolidated (Art. 49 deadlines differ); null for both.';
comment on column consolidations.agencies_expected is 'Agencies expected to report: those with a loaded report in an earlier year, or the list given.';
comment on column consolidations.reports_summed is 'Loaded reports summed into the consolidated tables (one per agency).';
comment on column consolidations.reports_summed_prior_year is 'Reports summed for the year before, over the same scope (for the year-on-year change).';
comment on column consolidations.agencies_quarantined is 'Agencies whose report for the year was quarantined and which have no loaded report instead.';
comment on column consolidations.agencies_missing is 'Expected agencies with no report for the year at all.';
comment on column consolidations.consolidated_at is 'When the consolidation ran.';

create table consolidation_agencies (
    consolidation_key  varchar not null,
    agency_name        varchar not null,
    agency_id          integer,           -- null for a listed agency the warehouse has never seen
    agency_kind        varchar,
    division_code      varchar,
    expected           boolean not null,  -- reported in an earlier year, or in the list given
    status             varchar not null,  -- summed | not_summed_duplicate | quarantined | missing
    document_id        varchar,           -- the report concerned; null when missing
    template           varchar,
    publication_date   date,
    deadline           date,              -- Art. 49: 31 Jan (departments) or 31 Mar (governments) of year+1
    published_late     boolean,
    last_loaded_year   integer,           -- for a missing agency: the latest year it has a loaded report for
    reason             varchar
);
comment on table consolidation_agencies is 'Completeness of a consolidation: every report of the year in scope and every expected agency without one.';
comment on column consolidation_agencies.consolidation_key is 'The consolidation (consolidations.consolidation_key).';
comment on column consolidation_agencies.agency_name is 'Issuing agency.';
comment on column consolidation_agencies.agency_id is 'dim_agency id; null for a listed agency with no document in the warehouse.';
comment on column consolidation_agencies.agency_kind is 'government or department.';
comment on column consolidation_agencies.division_code is 'Administrative division code of the agency, if known.';
comment on column consolidation_agencies.expected is 'True when the agency was expected to report: it has a loaded report for an earlier year, or it is in the list given.';
comment on column consolidation_agencies.status is 'summed (in the consolidated tables), not_summed_duplicate (another report of the same agency and year was summed), quarantined (blocking rule failed: never summed), missing (no report for the year).';
comment on column consolidation_agencies.document_id is 'The report this row is about; null for a missing agency.';
comment on column consolidation_agencies.template is 'Template of the report (legacy reports have no tables 2-4 and add nothing to them).';
comment on column consolidation_agencies.publication_date is 'Publication date found in the report.';
comment on column consolidation_agencies.deadline is 'Statutory publication deadline (Art. 49); null for townships and street offices, which Art. 49 does not cover.';
comment on column consolidation_agencies.published_late is 'True when the publication date is after the deadline; null when either is unknown.';
comment on column consolidation_agencies.last_loaded_year is 'For a missing agency, the latest year it has a loaded report for.';
comment on column consolidation_agencies.reason is 'Why the report is not summed (the failing rules for a quarantined report), or what is missing.';

create table fct_consolidated_table2 (
    consolidation_key  varchar not null,
    template           varchar not null,
    row_key            varchar not null,
    column_key         varchar not null,
    value              double,   -- sum over the summed reports; null when no report printed a number
    reports            integer not null,  -- reports with a number in the cell
    unit_cells         integer not null,  -- cells printed with a unit (value_text), not summed
    primary key (consolidation_key, template, row_key, column_key)
);
comment on table fct_consolidated_table2 is 'Table 2 summed over the reports of a consolidation, per template layout (2019 and 2021 columns differ).';
comment on column fct_consolidated_table2.consolidation_key is 'The consolidation.';
comment on column fct_consolidated_table2.template is 'Layout the summed reports used: 2019 or 2021.';
comment on column fct_consolidated_table2.row_key is 'Canonical row key.';
comment on column fct_consolidated_table2.column_key is 'Canonical column key; amount_10k_yuan is in 万元.';
comment on column fct_consolidated_table2.value is 'Sum of the printed numbers; null when no report printed one.';
comment on column fct_consolidated_table2.reports is 'Number of reports with a number in this cell.';
comment on column fct_consolidated_table2.unit_cells is 'Cells printed with a unit (e.g. 251000元), kept as text and not summed.';

create table fct_consolidated_table3 (
    consolidation_key  varchar not null,
    row_key            varchar not null,
    column_key         varchar not null,
    requests           bigint,   -- sum over the summed reports; null when every cell was blank
    reports            integer not null,  -- reports with a number in the cell
    blank_cells        integer not null,  -- reports that printed the cell blank (not counted as 0)
    primary key (consolidation_key, row_key, column_key)
);
comment on table fct_consolidated_table3 is 'Table 3 summed over the reports of a consolidation, every printed row and column.';
comment on column fct_consolidated_table3.consolidation_key is 'The consolidation.';
comment on column fct_consolidated_table3.row_key is 'Canonical row key (ref_table3_rows).';
comment on column fct_consolidated_table3.column_key is 'Applicant column (ref_table3_columns).';
comment on column fct_consolidated_table3.requests is 'Sum of the requests printed in this cell; null when no report printed a number.';
comment on column fct_consolidated_table3.reports is 'Number of reports with a number in this cell.';
comment on column fct_consolidated_table3.blank_cells is 'Number of summed reports that left this cell blank (blank is not 0).';

create table fct_consolidated_table4 (
    consolidation_key  varchar not null,
    cell_key           varchar not null,
    cases              bigint,
    reports            integer not null,
    blank_cells        integer not null,
    primary key (consolidation_key, cell_key)
);
comment on table fct_consolidated_table4 is 'Table 4 summed over the reports of a consolidation.';
comment on column fct_consolidated_table4.consolidation_key is 'The consolidation.';
comment on column fct_consolidated_table4.cell_key is 'Canonical key (ref_table4_cells).';
comment on column fct_consolidated_table4.cases is 'Sum of the cases printed in this cell; null when no report printed a number.';
comment on column fct_consolidated_table4.reports is 'Number of reports with a number in this cell.';
comment on column fct_consolidated_table4.blank_cells is 'Number of summed reports that left this cell blank.';

create table consolidation_yoy (
    consolidation_key  varchar not null,
    table_name         varchar not null,  -- table3 | table4
    row_key            varchar not null,  -- '' for table4
    column_key         varchar not null,  -- 'total' for table3, the cell key for table4
    value              bigint,
    value_prior_year   bigint,
    change             bigint,
    change_pct         double,
    primary key (consolidation_key, table_name, row_key, column_key)
);
comment on table consolidation_yoy is 'Year-on-year change of the consolidated totals: the year against the year before, over the same scope of agencies.';
comment on column consolidation_yoy.consolidation_key is 'The consolidation.';
comment on column consolidation_yoy.table_name is 'table3 (总计 column of every row) or table4 (every cell).';
comment on column consolidation_yoy.row_key is 'Table 3 row key; empty for table 4.';
comment on column consolidation_yoy.column_key is 'total for table 3; the cell key for table 4.';
comment on column consolidation_yoy.value is 'Consolidated value for the year.';
comment on column consolidation_yoy.value_prior_year is 'Consolidated value for the year before (same scope, reports loaded for that year).';
comment on column consolidation_yoy.change is 'value - value_prior_year; null when either is null.';
comment on column consolidation_yoy.change_pct is 'Change in percent of the prior year; null when the prior value is 0 or null.';

create view v_consolidated_table3 as
select
    t.consolidation_key,
    r.seq                                                                   as 序号,
    r.row_key,
    coalesce(r.group_label_zh || ' ', '') || r.label_zh                     as 项目,
    max(case when t.column_key = 'natural_person' then t.requests end)      as 自然人,
    max(case when t.column_key = 'commercial' then t.requests end)          as 商业企业,
    max(case when t.column_key = 'research' then t.requests end)            as 科研机构,
    max(case when t.column_key = 'public_interest' then t.requests end)     as 社会公益组织,
    max(case when t.column_key = 'legal_services' then t.requests end)      as 法律服务机构,
    max(case when t.column_key = 'other_org' then t.requests end)           as 其他,
    max(case when t.column_key = 'total' then t.requests end)               as 总计
from fct_consolidated_table3 t
join ref_table3_rows r using (row_key)
group by all
order by t.consolidation_key, r.seq;
comment on view v_consolidated_table3 is 'A consolidated table 3 in its statutory layout with the Chinese labels.';
