-- Load one batch. Runs inside one transaction; reads the batch_* frames registered by tasks/load.py.
-- Every insert skips rows already present, so re-running a batch changes nothing. Agencies are
-- resolved next (tasks/identity/store.py), then the facts are loaded (load_facts.sql).

create temp table if not exists forgotten_agencies (document_id varchar, agency_id integer);

-- the batch's documents the warehouse does not hold (yet, or any more after forget_documents.sql):
-- their rows and facts are written; the others are left as they are
create or replace temp table batch_fresh as
select b.document_id from batch_documents b
where not exists (select 1 from documents d where d.document_id = b.document_id);

insert into dim_year
select y.report_year,
       case when y.report_year >= 2021 then '2021' when y.report_year >= 2019 then '2019' else 'legacy' end,
       make_date(y.report_year + 1, 1, 31),
       make_date(y.report_year + 1, 3, 31)
from (select distinct report_year from batch_documents where report_year is not null) y
where not exists (select 1 from dim_year d where d.report_year = y.report_year);

-- tables_digest: the same expression migration 009 computed from the cells it dropped
insert into documents by name
select b.document_id, b.staged_path, b.size_bytes, b.format, b.encoding, b.status, b.status_reason,
       (select f.agency_id from forgotten_agencies f where f.document_id = b.document_id) as agency_id,
       b.report_year, b.template, try_cast(b.publication_date as date) as publication_date, b.index_number,
       b.credit_code, b.extractor_version, b.suite_version, b.warnings, b.record::json as record, b.processed_at,
       coalesce((select md5(string_agg(c.table_name || '.' || c.row_key || '.' || c.column_key || '='
                                       || coalesce(c.value::varchar, '') || '|' || coalesce(c.value_text, ''),
                                       ';' order by c.table_name, c.row_key, c.column_key))
                 from batch_cells c where c.document_id = b.document_id), md5('')) as tables_digest,
       b.agency_name, b.agency_key, b.division_code, b.agency_level, b.agency_kind
from batch_documents b
where not exists (select 1 from documents d where d.document_id = b.document_id);

insert into document_arrivals
select document_id, original_name, min(arrived_at)
from batch_arrivals
group by all
on conflict do nothing;

-- results replace earlier ones of the same document and rule (cross-year rules re-check neighbours)
delete from validation_results
where (document_id, rule_id) in (select distinct document_id, rule_id from batch_results);

insert into validation_results by name
select * from batch_results;
