-- What the warehouse holds: documents by status, and facts by table.
select 'documents: ' || status as what, count(*) as n from documents group by status
union all select 'agencies', count(*) from dim_agency
union all select 'report years', count(*) from dim_year
union all select 'fct_table3 cells', count(*) from fct_table3
union all select 'fct_table4 cells', count(*) from fct_table4
union all select 'fct_table2 cells', count(*) from fct_table2
union all select 'fct_legacy figures', count(*) from fct_legacy
union all select 'validation results', count(*) from validation_results
order by what;
