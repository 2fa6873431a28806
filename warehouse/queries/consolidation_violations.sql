-- Rules failed by the year's reports in one consolidation's scope (summed or not): reports and instances.
select v.rule_id, v.severity, count(distinct v.document_id) as reports, count(*) as instances,
       any_value(v.message_zh) as example_zh
from consolidation_agencies a
join validation_results v using (document_id)
where a.consolidation_key = $key and v.outcome = 'fail'
group by v.rule_id, v.severity
order by case v.severity when 'blocking' then 0 else 1 end, reports desc, v.rule_id;
