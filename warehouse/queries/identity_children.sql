-- Agencies whose natural key starts with one of the given division-code prefixes (children whose
-- parent may be a government just resolved), with their level for parent_keys.
select agency_id, natural_key, agency_level, parent_id
from dim_agency
where list_has_any([substr(natural_key, 1, 2), substr(natural_key, 1, 4), substr(natural_key, 1, 6)],
                   $prefixes::varchar[]);
