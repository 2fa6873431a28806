-- The agencies × years panel for `ogi export`: one row per agency and report year, the loaded report
-- (the current one when an agency has several for a year; see current_reports), headline figures of tables 2–4 and
-- the legacy table in wide form. A temporary view: the export's read-only connection creates it.
create or replace temp view panel as
with loaded as (
    select
        d.document_id,
        d.agency_id,
        d.report_year,
        d.template,
        d.publication_date,
        -- the current report of the agency-year (current_reports: duplicates and superseded ones
        -- point at it), so the export's panel and v_panel pick the same report
        row_number() over (
            partition by d.agency_id, d.report_year
            order by (c.report_role = 'current') desc nulls last, d.publication_date desc nulls last,
                     d.processed_at desc, d.document_id
        ) as pick,
        count(*) over (partition by d.agency_id, d.report_year) as reports_loaded
    from documents d
    left join current_reports c using (document_id)
    where d.status = 'loaded' and d.agency_id is not null and d.report_year is not null
),
t3 as (
    select
        document_id,
        max(requests) filter (where row_key = 'new_requests')      as t3_new_requests,
        max(requests) filter (where row_key = 'carried_over_in')   as t3_carried_over_in,
        max(requests) filter (where row_key = 'granted')           as t3_granted,
        max(requests) filter (where row_key = 'partially_granted') as t3_partially_granted,
        max(requests) filter (where row_key = 'handled_total')     as t3_handled_total,
        max(requests) filter (where row_key = 'carried_over_out')  as t3_carried_over_out
    from fct_table3
    where column_key = 'total'
    group by document_id
),
t4 as (
    select
        document_id,
        max(cases) filter (where cell_key = 'review_total')                  as t4_review_total,
        max(cases) filter (where cell_key = 'review_corrected')              as t4_review_corrected,
        max(cases) filter (where cell_key = 'litigation_direct_total')       as t4_litigation_direct_total,
        max(cases) filter (where cell_key = 'litigation_after_review_total') as t4_litigation_after_review_total
    from fct_table4
    group by document_id
),
t2 as (
    select
        document_id,
        max(value) filter (where row_key = 'rules' and column_key in ('issued', 'made'))               as t2_rules_issued,
        max(value) filter (where row_key = 'normative_documents' and column_key in ('issued', 'made')) as t2_normative_documents_issued,
        max(value) filter (where row_key = 'licensing' and column_key = 'decisions')                   as t2_licensing_decisions,
        max(value) filter (where row_key = 'penalty' and column_key = 'decisions')                     as t2_penalty_decisions,
        max(value) filter (where row_key = 'coercion' and column_key = 'decisions')                    as t2_coercion_decisions,
        max(value) filter (where row_key = 'fees' and column_key = 'amount_10k_yuan')                  as t2_fees_10k_yuan
    from fct_table2
    group by document_id
),
lg as (
    select
        document_id,
        max(value) filter (where figure_key = 'requests_received') as legacy_requests_received,
        max(value) filter (where figure_key = 'reviews')           as legacy_reviews,
        max(value) filter (where figure_key = 'lawsuits')          as legacy_lawsuits
    from fct_legacy
    group by document_id
)
select
    l.agency_id,
    a.agency_name,
    a.division_code,
    a.agency_level,
    a.agency_kind,
    l.report_year,
    l.document_id,
    l.template,
    l.publication_date,
    l.reports_loaded,
    t3.* exclude (document_id),
    t4.* exclude (document_id),
    t2.* exclude (document_id),
    lg.* exclude (document_id)
from loaded l
join dim_agency a using (agency_id)
left join t3 using (document_id)
left join t4 using (document_id)
left join t2 using (document_id)
left join lg using (document_id)
where l.pick = 1
order by l.report_year, a.agency_name;
comment on view panel is 'Agencies × years panel: one row per agency and report year, from its loaded report (the latest published if several), headline figures of tables 2–4 and the legacy table in wide form.';
comment on column panel.agency_id is 'Issuing agency (dim_agency.agency_id).';
comment on column panel.agency_name is 'Full name of the issuing agency as printed.';
comment on column panel.division_code is 'Administrative division code (6 digits, GB/T 2260) of the agency; null if none validated.';
comment on column panel.agency_level is 'ministry, province, city, county or township.';
comment on column panel.agency_kind is 'government or department.';
comment on column panel.report_year is 'Year reported on.';
comment on column panel.document_id is 'sha256 of the report the row comes from (documents.document_id).';
comment on column panel.template is 'Layout of the report: 2021, 2019 or legacy.';
comment on column panel.publication_date is 'Publication date of the report.';
comment on column panel.reports_loaded is 'Loaded reports of the agency for the year (more than 1: the latest published is used).';
comment on column panel.t3_new_requests is 'Table 3, 一、本年新收政府信息公开申请数量, 总计 column.';
comment on column panel.t3_carried_over_in is 'Table 3, 二、上年结转政府信息公开申请数量, 总计 column.';
comment on column panel.t3_granted is 'Table 3, (一)予以公开, 总计 column.';
comment on column panel.t3_partially_granted is 'Table 3, (二)部分公开, 总计 column.';
comment on column panel.t3_handled_total is 'Table 3, (七)总计 of the outcomes, 总计 column.';
comment on column panel.t3_carried_over_out is 'Table 3, 四、结转下年度继续办理, 总计 column.';
comment on column panel.t4_review_total is 'Table 4, 行政复议 总计 (cases).';
comment on column panel.t4_review_corrected is 'Table 4, 行政复议 结果纠正 (cases).';
comment on column panel.t4_litigation_direct_total is 'Table 4, 行政诉讼 未经复议直接起诉 总计 (cases).';
comment on column panel.t4_litigation_after_review_total is 'Table 4, 行政诉讼 复议后起诉 总计 (cases).';
comment on column panel.t2_rules_issued is 'Table 2, 规章: 本年制发 (2021) / 制作数量 (2019).';
comment on column panel.t2_normative_documents_issued is 'Table 2, 行政规范性文件: 本年制发 (2021) / 制作数量 (2019).';
comment on column panel.t2_licensing_decisions is 'Table 2, 行政许可 处理决定数量.';
comment on column panel.t2_penalty_decisions is 'Table 2, 行政处罚 处理决定数量.';
comment on column panel.t2_coercion_decisions is 'Table 2, 行政强制 处理决定数量.';
comment on column panel.t2_fees_10k_yuan is 'Table 2, 行政事业性收费 金额 in 万元 (2021 template).';
comment on column panel.legacy_requests_received is 'Legacy (pre-2019) reports: requests received in the year.';
comment on column panel.legacy_reviews is 'Legacy reports: administrative reviews (行政复议) in the year.';
comment on column panel.legacy_lawsuits is 'Legacy reports: lawsuits (行政诉讼) in the year.';
