-- Facts of one batch's loaded reports, after tasks/identity has given every document its agency_id
-- (same transaction as load_batch.sql), from the batch's cells (batch_cells; the record keeps them too).
-- A document's facts are written once, with its documents row (batch_fresh, load_batch.sql): the
-- facts have no key index since migration 009.

insert into fct_table3
select c.document_id, d.agency_id, d.report_year, c.row_key, c.column_key,
       coalesce(k.corrected_value, c.value)::bigint, c.null_meaning, c.position, k.document_id is not null
from batch_cells c
join documents d using (document_id)
left join v_current_corrections k using (document_id, table_name, row_key, column_key)
where c.table_name = 'table3' and d.status = 'loaded'
  and c.document_id in (select document_id from batch_fresh);

insert into fct_table4
select c.document_id, d.agency_id, d.report_year, c.column_key,
       regexp_extract(c.column_key, '^(review|litigation_direct|litigation_after_review)_', 1),
       regexp_extract(c.column_key, '_(upheld|corrected|other|pending|total)$', 1),
       coalesce(k.corrected_value, c.value)::bigint, c.null_meaning, c.position, k.document_id is not null
from batch_cells c
join documents d using (document_id)
left join v_current_corrections k using (document_id, table_name, row_key, column_key)
where c.table_name = 'table4' and d.status = 'loaded'
  and c.document_id in (select document_id from batch_fresh);

insert into fct_table2
select c.document_id, d.agency_id, d.report_year, d.template, c.row_key, c.column_key,
       coalesce(k.corrected_value, c.value), c.value_text, c.null_meaning, c.position, k.document_id is not null
from batch_cells c
join documents d using (document_id)
left join v_current_corrections k using (document_id, table_name, row_key, column_key)
where c.table_name = 'table2' and d.status = 'loaded'
  and c.document_id in (select document_id from batch_fresh);

insert into fct_legacy
select c.document_id, d.agency_id, d.report_year, c.column_key, c.value, c.position
from batch_cells c
join documents d using (document_id)
where c.table_name = 'legacy' and d.status = 'loaded'
  and c.document_id in (select document_id from batch_fresh);
