-- Why a document was accepted as printed, if it was.
select reason from acceptances where document_id = $doc;
