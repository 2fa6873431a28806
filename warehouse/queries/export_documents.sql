-- `ogi export`: every document with its status and metadata (not the record JSON nor the local
-- staging path), the first name it arrived under (or one year, $year).
select
    d.* exclude (staged_path, record),
    (select min(original_name) from document_arrivals x where x.document_id = d.document_id) as original_name
from documents d
where $year is null or d.report_year = $year;
