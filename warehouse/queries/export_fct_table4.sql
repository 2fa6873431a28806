-- `ogi export`: fct_table4 as it is, every loaded report (or one year, $year).
select * from fct_table4
where $year is null or report_year = $year;
