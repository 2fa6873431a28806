-- Problems of current reports that should be rectification items and are not yet: blocking failures
-- (accepted reports too) and the chosen warnings ($warnings), one per rule and instance. A problem
-- already raised for the same report (whatever its status), or still open or notified for the same
-- agency, year, rule and instance, is not raised again.
select v.document_id, c.agency_id, c.report_year, v.rule_id, v.instance, v.severity,
       (v.severity = 'blocking') as accepted,
       coalesce(v.message_zh, v.rule_id) as message_zh, v.cells::varchar as evidence
from validation_results v
join current_reports c on c.document_id = v.document_id and c.report_role = 'current'
where v.outcome = 'fail'
  and (v.severity = 'blocking' or v.rule_id in (select unnest($warnings::varchar[])))
  and not exists (
      select 1 from rectification_items i
      where i.rule_id = v.rule_id and i.instance = v.instance
        and (i.document_id = v.document_id
             or (i.agency_id = c.agency_id and i.report_year = c.report_year and i.status in ('open', 'notified'))))
order by c.agency_id, c.report_year, v.rule_id, v.instance;
