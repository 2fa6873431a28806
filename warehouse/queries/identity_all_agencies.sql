-- Every agency id the warehouse's identity tables hold (a full resolution rewrites them all).
select agency_id from dim_agency
union select agency_id from agency_names
union select agency_id from current_reports
union select agency_id from documents where agency_id is not null;
