-- `ogi export`: every rule outcome, with the report year of its document to partition by.
select v.*, d.report_year
from validation_results v
join documents d using (document_id)
where $year is null or d.report_year = $year;
