-- One agency (dim_agency) with its parent's name.
select a.*, p.agency_name as parent_name
from dim_agency a
left join dim_agency p on p.agency_id = a.parent_id
where a.agency_id = $id;
