-- `ogi export`: fct_table2 as it is, every loaded report (or one year, $year).
select * from fct_table2
where $year is null or report_year = $year;
