-- Load one batch. Runs inside one transaction; reads the batch_* frames registered by tasks/load.py.
-- Every insert skips rows already present, so re-running a batch changes nothing.

insert into dim_agency (agency_name, division_code, province, county, agency_level, agency_kind)
select agency_name, any_value(division_code), any_value(province), any_value(county),
       any_value(agency_level), any_value(agency_kind)
from batch_documents b
where agency_name is not null
  and not exists (select 1 from dim_agency a where a.agency_name = b.agency_name)
group by agency_name;

insert into dim_year
select y.report_year,
       case when y.report_year >= 2021 then '2021' when y.report_year >= 2019 then '2019' else 'legacy' end,
       make_date(y.report_year + 1, 1, 31),
       make_date(y.report_year + 1, 3, 31)
from (select distinct report_year from batch_documents where report_year is not null) y
where not exists (select 1 from dim_year d where d.report_year = y.report_year);

insert into documents
select b.document_id, b.staged_path, b.size_bytes, b.format, b.encoding, b.status, b.status_reason,
       a.agency_id, b.report_year, b.template, try_cast(b.publication_date as date), b.index_number,
       b.credit_code, b.extractor_version, b.suite_version, b.warnings, b.record::json, b.processed_at
from batch_documents b
left join dim_agency a using (agency_name)
where not exists (select 1 from documents d where d.document_id = b.document_id);

insert into document_arrivals
select document_id, original_name, min(arrived_at)
from batch_arrivals
group by all
on conflict do nothing;

insert into stg_cells
select * from batch_cells
on conflict do nothing;

-- results replace earlier ones of the same document and rule (cross-year rules re-check neighbours)
delete from validation_results
where (document_id, rule_id) in (select distinct document_id, rule_id from batch_results);

insert into validation_results
select * from batch_results;

insert into fct_table3
select c.document_id, d.agency_id, d.report_year, c.row_key, c.column_key,
       coalesce(k.corrected_value, c.value)::bigint, c.null_meaning, c.position, k.document_id is not null
from stg_cells c
join documents d using (document_id)
left join v_current_corrections k using (document_id, table_name, row_key, column_key)
where c.table_name = 'table3' and d.status = 'loaded'
  and c.document_id in (select document_id from batch_documents)
on conflict do nothing;

insert into fct_table4
select c.document_id, d.agency_id, d.report_year, c.column_key,
       regexp_extract(c.column_key, '^(review|litigation_direct|litigation_after_review)_', 1),
       regexp_extract(c.column_key, '_(upheld|corrected|other|pending|total)$', 1),
       coalesce(k.corrected_value, c.value)::bigint, c.null_meaning, c.position, k.document_id is not null
from stg_cells c
join documents d using (document_id)
left join v_current_corrections k using (document_id, table_name, row_key, column_key)
where c.table_name = 'table4' and d.status = 'loaded'
  and c.document_id in (select document_id from batch_documents)
on conflict do nothing;

insert into fct_table2
select c.document_id, d.agency_id, d.report_year, d.template, c.row_key, c.column_key,
       coalesce(k.corrected_value, c.value), c.value_text, c.null_meaning, c.position, k.document_id is not null
from stg_cells c
join documents d using (document_id)
left join v_current_corrections k using (document_id, table_name, row_key, column_key)
where c.table_name = 'table2' and d.status = 'loaded'
  and c.document_id in (select document_id from batch_documents)
on conflict do nothing;

insert into fct_legacy
select c.document_id, d.agency_id, d.report_year, c.column_key, c.value, c.position
from stg_cells c
join documents d using (document_id)
where c.table_name = 'legacy' and d.status = 'loaded'
  and c.document_id in (select document_id from batch_documents)
on conflict do nothing;
