-- Every quarantined report with each blocking rule it fails (none when it was quarantined for its
-- metadata), the rule's messages and the cells on both sides: the review page and `ogi review --format json`.
select
    d.document_id,
    d.original_name,
    d.agency_name,
    d.report_year,
    d.status_reason,
    v.rule_id,
    v.instance,
    v.message_zh,
    v.message_en,
    v.cells
from v_documents d
left join validation_results v
    on v.document_id = d.document_id and v.severity = 'blocking' and v.outcome = 'fail'
where d.status = 'quarantined'
order by d.agency_name, d.report_year, d.document_id, v.rule_id, v.instance;
