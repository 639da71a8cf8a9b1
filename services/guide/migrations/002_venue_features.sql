-- The venue's structured accessibility features from `venue.registered/updated` (booking's
-- migration 008, vocabulary in shared/accessibility.py): the guide lists them in the
-- resident's language beside the free-text description. Empty until a venue's next event.
ALTER TABLE venues ADD COLUMN accessibility_features text[] NOT NULL DEFAULT '{}';
