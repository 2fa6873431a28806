-- Completeness of one consolidation: every report of the year in scope and every expected agency without one.
select status, agency_name, agency_kind, division_code, expected, document_id, template, publication_date,
       deadline, published_late, last_loaded_year, reason
from consolidation_agencies
where consolidation_key = $key
order by case status when 'missing' then 1 when 'quarantined' then 2 when 'not_summed_duplicate' then 3 else 4 end,
         agency_name, document_id;
