-- One unit of a roster, as listed (matched afterwards by tasks/identity/roster.py).
insert into roster_entries (roster_id, seq, listed_name, division_code, credit_code, agency_kind, parent_name)
values ($roster_id, $seq, $name, $division_code, $credit_code, $kind, $parent);
