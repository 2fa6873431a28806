-- Quarantined reports with the blocking rules (and instances) they fail.
select
    left(d.document_id, 12)                                 as document,
    d.original_name                                         as file,
    d.agency_name                                           as agency,
    d.report_year                                           as year,
    string_agg(v.rule_id || '(' || v.instance || ')', ', ' order by v.rule_id, v.instance) as failures
from v_documents d
left join validation_results v
    on v.document_id = d.document_id and v.severity = 'blocking' and v.outcome = 'fail'
where d.status = 'quarantined'
group by all
order by agency, year;
