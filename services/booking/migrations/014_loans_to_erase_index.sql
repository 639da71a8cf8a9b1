-- The anonymising job asks every pass (each 15 s) for loans back or cancelled whose borrower
-- is still named and whose time ended before the retention cutoff: without an index of just
-- those, each pass read the whole loans table, which only grows. Rows leave the index as the
-- job erases them, so it stays the size of the loans not yet erased.
CREATE INDEX resource_loans_borrowers_to_erase ON resource_loans (upper(during))
    WHERE borrower_name IS NOT NULL AND status <> 'active';
