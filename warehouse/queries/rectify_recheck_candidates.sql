-- Open and notified items whose agency and year now have another current report, not yet re-checked
-- against it, with that report's outcome for the item's rule and instance (null: not checked there;
-- an instance without a row of its own passed where the rule has a pass row '*').
select i.item_id, i.status, c.document_id as new_document_id,
       coalesce((select string_agg(distinct v.outcome, ',') from validation_results v
                 where v.document_id = c.document_id and v.rule_id = i.rule_id and v.instance = i.instance),
                (select 'pass' from validation_results v
                 where v.document_id = c.document_id and v.rule_id = i.rule_id and v.instance = '*'
                   and v.outcome = 'pass' limit 1)) as outcomes
from rectification_items i
join current_reports c
  on c.agency_id = i.agency_id and c.report_year = i.report_year and c.report_role = 'current'
where i.status in ('open', 'notified')
  and c.document_id <> i.document_id
  and c.document_id is distinct from i.last_checked_document_id
order by i.item_id;
