-- `ogi export`: fct_table3 as it is, every loaded report (or one year, $year).
select * from fct_table3
where $year is null or report_year = $year;
