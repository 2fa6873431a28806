-- Printed labels of the statutory tables, and views that print a report in its statutory layout.

create table ref_table3_rows (
    row_key varchar primary key,
    seq integer not null,
    label_zh varchar not null,
    group_label_zh varchar,
    templates varchar[] not null
);
comment on table ref_table3_rows is 'Table 3 rows in printed order with their Chinese labels (2021 wording).';
comment on column ref_table3_rows.row_key is 'Canonical row key.';
comment on column ref_table3_rows.seq is 'Printed order.';
comment on column ref_table3_rows.label_zh is 'Printed label.';
comment on column ref_table3_rows.group_label_zh is 'Parent group label, e.g. (三)不予公开.';
comment on column ref_table3_rows.templates is 'Templates that print the row (other_total is printed by 2019 only, derived for 2021).';
insert into ref_table3_rows values
    ('new_requests', 1, '一、本年新收政府信息公开申请数量', null, ['2019', '2021']),
    ('carried_over_in', 2, '二、上年结转政府信息公开申请数量', null, ['2019', '2021']),
    ('granted', 3, '(一)予以公开', null, ['2019', '2021']),
    ('partially_granted', 4, '(二)部分公开(区分处理的,只计这一情形,不计其他情形)', null, ['2019', '2021']),
    ('denied_state_secret', 5, '1.属于国家秘密', '(三)不予公开', ['2019', '2021']),
    ('denied_prohibited_by_law', 6, '2.其他法律行政法规禁止公开', '(三)不予公开', ['2019', '2021']),
    ('denied_security_stability', 7, '3.危及“三安全一稳定”', '(三)不予公开', ['2019', '2021']),
    ('denied_third_party_rights', 8, '4.保护第三方合法权益', '(三)不予公开', ['2019', '2021']),
    ('denied_internal_affairs', 9, '5.属于三类内部事务信息', '(三)不予公开', ['2019', '2021']),
    ('denied_process_information', 10, '6.属于四类过程性信息', '(三)不予公开', ['2019', '2021']),
    ('denied_enforcement_case_files', 11, '7.属于行政执法案卷', '(三)不予公开', ['2019', '2021']),
    ('denied_administrative_query', 12, '8.属于行政查询事项', '(三)不予公开', ['2019', '2021']),
    ('unavailable_not_held', 13, '1.本机关不掌握相关政府信息', '(四)无法提供', ['2019', '2021']),
    ('unavailable_requires_creation', 14, '2.没有现成信息需要另行制作', '(四)无法提供', ['2019', '2021']),
    ('unavailable_unclear_after_amendment', 15, '3.补正后申请内容仍不明确', '(四)无法提供', ['2019', '2021']),
    ('not_processed_complaint', 16, '1.信访举报投诉类申请', '(五)不予处理', ['2019', '2021']),
    ('not_processed_duplicate', 17, '2.重复申请', '(五)不予处理', ['2019', '2021']),
    ('not_processed_publication', 18, '3.要求提供公开出版物', '(五)不予处理', ['2019', '2021']),
    ('not_processed_excessive', 19, '4.无正当理由大量反复申请', '(五)不予处理', ['2019', '2021']),
    ('not_processed_confirmation', 20, '5.要求行政机关确认或重新出具已获取信息', '(五)不予处理', ['2019', '2021']),
    ('other_total', 21, '(六)其他处理', null, ['2019']),
    ('other_no_amendment', 22, '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', '(六)其他处理', ['2021']),
    ('other_unpaid_fee', 23, '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', '(六)其他处理', ['2021']),
    ('other_misc', 24, '3.其他', '(六)其他处理', ['2021']),
    ('handled_total', 25, '(七)总计', null, ['2019', '2021']),
    ('carried_over_out', 26, '四、结转下年度继续办理', null, ['2019', '2021']);

create table ref_table3_columns (
    column_key varchar primary key,
    seq integer not null,
    label_zh varchar not null
);
comment on table ref_table3_columns is 'Table 3 applicant columns in printed order.';
comment on column ref_table3_columns.column_key is 'Canonical column key.';
comment on column ref_table3_columns.seq is 'Printed order.';
comment on column ref_table3_columns.label_zh is 'Printed label.';
insert into ref_table3_columns values
    ('natural_person', 1, '自然人'),
    ('commercial', 2, '商业企业'),
    ('research', 3, '科研机构'),
    ('public_interest', 4, '社会公益组织'),
    ('legal_services', 5, '法律服务机构'),
    ('other_org', 6, '其他'),
    ('total', 7, '总计');

create table ref_table4_cells (
    cell_key varchar primary key,
    seq integer not null,
    group_label_zh varchar not null,
    outcome_label_zh varchar not null
);
comment on table ref_table4_cells is 'Table 4 cells in printed order.';
comment on column ref_table4_cells.cell_key is 'Canonical key.';
comment on column ref_table4_cells.seq is 'Printed order.';
comment on column ref_table4_cells.group_label_zh is '行政复议 / 行政诉讼 sub-group.';
comment on column ref_table4_cells.outcome_label_zh is 'Outcome label.';
insert into ref_table4_cells values
    ('review_upheld', 1, '行政复议', '结果维持'),
    ('review_corrected', 2, '行政复议', '结果纠正'),
    ('review_other', 3, '行政复议', '其他结果'),
    ('review_pending', 4, '行政复议', '尚未审结'),
    ('review_total', 5, '行政复议', '总计'),
    ('litigation_direct_upheld', 6, '行政诉讼/未经复议直接起诉', '结果维持'),
    ('litigation_direct_corrected', 7, '行政诉讼/未经复议直接起诉', '结果纠正'),
    ('litigation_direct_other', 8, '行政诉讼/未经复议直接起诉', '其他结果'),
    ('litigation_direct_pending', 9, '行政诉讼/未经复议直接起诉', '尚未审结'),
    ('litigation_direct_total', 10, '行政诉讼/未经复议直接起诉', '总计'),
    ('litigation_after_review_upheld', 11, '行政诉讼/复议后起诉', '结果维持'),
    ('litigation_after_review_corrected', 12, '行政诉讼/复议后起诉', '结果纠正'),
    ('litigation_after_review_other', 13, '行政诉讼/复议后起诉', '其他结果'),
    ('litigation_after_review_pending', 14, '行政诉讼/复议后起诉', '尚未审结'),
    ('litigation_after_review_total', 15, '行政诉讼/复议后起诉', '总计');

create view v_table3 as
with printed as (
    -- a 2021 report prints the three (六) sub-rows, not the derived other_total row
    select f.*
    from fct_table3 f
    where not (
        f.row_key = 'other_total'
        and exists (select 1 from fct_table3 s where s.document_id = f.document_id and s.row_key = 'other_no_amendment')
    )
)
select
    p.document_id,
    a.agency_name                                                           as 机构,
    p.report_year                                                           as 年度,
    r.seq                                                                   as 序号,
    r.row_key,
    coalesce(r.group_label_zh || ' ', '') || r.label_zh                     as 项目,
    max(case when p.column_key = 'natural_person' then p.requests end)      as 自然人,
    max(case when p.column_key = 'commercial' then p.requests end)          as 商业企业,
    max(case when p.column_key = 'research' then p.requests end)            as 科研机构,
    max(case when p.column_key = 'public_interest' then p.requests end)     as 社会公益组织,
    max(case when p.column_key = 'legal_services' then p.requests end)      as 法律服务机构,
    max(case when p.column_key = 'other_org' then p.requests end)           as 其他,
    max(case when p.column_key = 'total' then p.requests end)               as 总计
from printed p
join ref_table3_rows r using (row_key)
join dim_agency a using (agency_id)
group by all
order by p.document_id, r.seq;
comment on view v_table3 is 'Table 3 of every loaded report in its statutory layout, with the Chinese labels (null = printed blank).';

create view v_table4 as
select
    f.document_id,
    a.agency_name                                                           as 机构,
    f.report_year                                                           as 年度,
    max(case when f.cell_key = 'review_upheld' then f.cases end)                       as 复议_结果维持,
    max(case when f.cell_key = 'review_corrected' then f.cases end)                    as 复议_结果纠正,
    max(case when f.cell_key = 'review_other' then f.cases end)                        as 复议_其他结果,
    max(case when f.cell_key = 'review_pending' then f.cases end)                      as 复议_尚未审结,
    max(case when f.cell_key = 'review_total' then f.cases end)                        as 复议_总计,
    max(case when f.cell_key = 'litigation_direct_upheld' then f.cases end)            as 直接起诉_结果维持,
    max(case when f.cell_key = 'litigation_direct_corrected' then f.cases end)         as 直接起诉_结果纠正,
    max(case when f.cell_key = 'litigation_direct_other' then f.cases end)             as 直接起诉_其他结果,
    max(case when f.cell_key = 'litigation_direct_pending' then f.cases end)           as 直接起诉_尚未审结,
    max(case when f.cell_key = 'litigation_direct_total' then f.cases end)             as 直接起诉_总计,
    max(case when f.cell_key = 'litigation_after_review_upheld' then f.cases end)      as 复议后起诉_结果维持,
    max(case when f.cell_key = 'litigation_after_review_corrected' then f.cases end)   as 复议后起诉_结果纠正,
    max(case when f.cell_key = 'litigation_after_review_other' then f.cases end)       as 复议后起诉_其他结果,
    max(case when f.cell_key = 'litigation_after_review_pending' then f.cases end)     as 复议后起诉_尚未审结,
    max(case when f.cell_key = 'litigation_after_review_total' then f.cases end)       as 复议后起诉_总计
from fct_table4 f
join dim_agency a using (agency_id)
group by all;
comment on view v_table4 is 'Table 4 of every loaded report as its one printed row of 15 cells.';

create view v_documents as
select
    d.document_id,
    (select min(original_name) from document_arrivals x where x.document_id = d.document_id) as original_name,
    a.agency_name,
    d.report_year,
    d.template,
    d.status,
    d.status_reason,
    d.publication_date,
    d.processed_at
from documents d
left join dim_agency a using (agency_id);
comment on view v_documents is 'Every document with its agency, year and status: the first place to look.';

create view v_quarantine as
select
    d.document_id,
    d.original_name,
    d.agency_name,
    d.report_year,
    v.rule_id,
    v.instance,
    v.message_zh,
    v.message_en,
    v.cells
from v_documents d
join validation_results v using (document_id)
where d.status = 'quarantined' and v.severity = 'blocking' and v.outcome = 'fail';
comment on view v_quarantine is 'Quarantined reports with each blocking rule they fail and the cells involved.';
