-- The language the organiser wrote the booking's title in (fi, sv or en), chosen on the
-- request form beside the title (Finnish unless chosen): the activity drafted from the
-- booking is named in that language, not always in Finnish, and not in the language of the
-- organiser's messages, which says nothing of the title's (a Swedish-speaking organiser may
-- write a Finnish title). Bookings made before were titled in Finnish, as their drafts were.
ALTER TABLE bookings
    ADD COLUMN title_language text NOT NULL DEFAULT 'fi'
        CHECK (title_language IN ('fi', 'sv', 'en'));
