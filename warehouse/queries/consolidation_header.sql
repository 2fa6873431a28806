-- One consolidation's scope and counts.
select consolidation_key, report_year, region_code, agency_list, agency_kind, agencies_expected,
       reports_summed, reports_summed_prior_year, agencies_quarantined, agencies_missing, consolidated_at
from consolidations
where consolidation_key = $key;
