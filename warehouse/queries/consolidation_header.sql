-- One consolidation's scope and counts, with the template in force for its year.
select c.consolidation_key, c.report_year, c.region_code, c.agency_list, c.agency_kind, c.agencies_expected,
       c.reports_summed, c.reports_summed_prior_year, c.agencies_quarantined, c.agencies_missing, c.consolidated_at,
       c.expected_basis, c.roster_id, c.agencies_reported, c.reported_on_time, c.reported_late,
       c.expected_quarantined,
       coalesce(y.expected_template, case when c.report_year >= 2021 then '2021' else '2019' end) as expected_template
from consolidations c
left join dim_year y using (report_year)
where c.consolidation_key = $key;
