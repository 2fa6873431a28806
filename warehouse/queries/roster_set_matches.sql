-- The agency each roster entry is matched to (frame roster_matches, from tasks/identity/roster.py):
-- null when unmatched, how, and a note for the unmatched; and when the rosters were matched.
update roster_entries e
set agency_id = m.agency_id, match_method = m.match_method, match_score = m.match_score, match_note = m.match_note
from roster_matches m
where e.roster_id = m.roster_id and e.seq = m.seq;

update rosters set matched_at = $at::timestamp
where roster_id in (select roster_id from roster_matches);
