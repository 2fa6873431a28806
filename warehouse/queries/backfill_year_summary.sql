-- What became of a backfill's documents (this run's and earlier runs'), by report year and status.
select report_year, status, count(*) as documents
from documents
where document_id in (select unnest($ids::varchar[]))
group by all
order by report_year nulls last, status;
