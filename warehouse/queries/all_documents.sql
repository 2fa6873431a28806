-- Every staged document, for reprocessing: where its bytes are and what it was before.
with arrivals as (
    select document_id, min(original_name) as original_name, min(arrived_at) as arrived_at
    from document_arrivals
    group by document_id
)
select d.document_id, a.original_name, d.staged_path, d.size_bytes, a.arrived_at, d.status, d.record::varchar
from documents d
join arrivals a using (document_id)
order by d.document_id;
