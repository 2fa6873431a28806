-- Rule outcomes that need attention, per agency, year and rule (optionally one year / agency).
select
    coalesce(a.agency_name, '(unknown)')                              as agency,
    d.report_year                                                     as year,
    v.rule_id                                                         as rule,
    v.severity,
    count(*) filter (where v.outcome = 'fail')                        as fail,
    count(*) filter (where v.outcome = 'not_assessable')              as not_assessable,
    any_value(d.status)                                               as status,
    string_agg(distinct v.instance, ', ') filter (where v.outcome = 'fail') as failing_instances
from validation_results v
join documents d using (document_id)
left join dim_agency a using (agency_id)
where ($year is null or d.report_year = $year)
  and ($agency is null or a.agency_name like '%' || $agency || '%')
group by all
having count(*) filter (where v.outcome <> 'pass') > 0
order by fail desc, agency, year, rule;
