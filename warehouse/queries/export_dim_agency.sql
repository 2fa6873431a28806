-- `ogi export`: the issuing agencies (with $year: those with a document on that year).
select * from dim_agency
where $year is null or agency_id in (select agency_id from documents where report_year = $year);
