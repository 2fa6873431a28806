-- The summed reports of one consolidation with the most new requests (table 3 本年新收, 总计).
select a.agency_name, t.requests as new_requests
from consolidation_agencies a
join fct_table3 t on t.document_id = a.document_id and t.row_key = 'new_requests' and t.column_key = 'total'
where a.consolidation_key = $key and a.status = 'summed' and t.requests is not null
order by t.requests desc, a.agency_name
limit $top;
