-- A document by sha256, a prefix of it (6+ characters), or a name it arrived under.
with arrivals as (
    select document_id, min(original_name) as original_name, min(arrived_at) as arrived_at
    from document_arrivals
    group by document_id
)
select d.document_id, a.original_name, d.staged_path, d.size_bytes, a.arrived_at, d.status, d.record::varchar
from documents d
join arrivals a using (document_id)
where d.document_id = $ref
   or (length($ref) >= 6 and starts_with(d.document_id, lower($ref)))
   or d.document_id in (select document_id from document_arrivals where original_name = $ref);
