-- `ogi export`: fct_legacy as it is, every loaded report (or one year, $year).
select * from fct_legacy
where $year is null or report_year = $year;
