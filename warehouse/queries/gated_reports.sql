-- The records of every report that went through the gate (loaded or quarantined), optionally of
-- one year, for rebuilding the GX Data Docs on demand.
select d.document_id, d.record::varchar
from documents d
where d.status in ('loaded', 'quarantined')
  and ($year is null or d.report_year = $year)
order by d.document_id;
