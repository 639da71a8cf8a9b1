-- Whom the desk lent to (tester #5): the desk could not chase an overdue loan, since a loan
-- without a booking named only the desk person who made it. A name, and a phone or email
-- to reach them; a loan for a booking is borrowed by the booking's contact (read from the
-- booking) unless someone else is named. Loans made before have none.
ALTER TABLE resource_loans
    ADD COLUMN borrower_name  text CHECK (length(borrower_name) BETWEEN 1 AND 200),
    ADD COLUMN borrower_phone text CHECK (length(borrower_phone) BETWEEN 1 AND 40),
    ADD COLUMN borrower_email text CHECK (length(borrower_email) BETWEEN 3 AND 320),
    ADD CONSTRAINT resource_loans_borrower_reachable
        CHECK (borrower_name IS NOT NULL OR (borrower_phone IS NULL AND borrower_email IS NULL));
