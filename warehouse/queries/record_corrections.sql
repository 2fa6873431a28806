-- New corrections (registered as batch_step by tasks/review.py), kept beside the printed value.
insert into corrections
select document_id, cell_key, table_name, row_key, column_key, printed_value, corrected_value,
       reason, corrected_by, corrected_at
from batch_step;
