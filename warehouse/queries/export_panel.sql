-- `ogi export`: the panel (temp view `panel`, export_panel_view.sql), or one year of it.
select * from panel
where $year is null or report_year = $year;
