-- Custom migration (not generated): page addresses stored before 0010 kept their query string,
-- fragment and user info, which may carry the host site's tokens. Stored from now on without them
-- (src/contacts/visit.ts); this cleans what is already there. No inbox keeps query strings yet
-- (keep_page_query was added in 0010, off), so every row is cleaned.
UPDATE "contacts"
SET "last_page_url" = regexp_replace(split_part(split_part("last_page_url", '#', 1), '?', 1), '^(https?://)[^/]*@', '\1')
WHERE "last_page_url" ~ '[?#@]';
