-- The id of the pepper each subscriber's address_hash was made with, as reports keep
-- receipt_key_id: after a rotation a sign-up looks the address up under every configured pepper,
-- and an operator can see when an old pepper is no longer used (docs/operations.md, Keys).
-- NULL: hashed before this column, under the pepper that was current then. The service brings
-- such rows (and rows under an old pepper or text key) up to date when it starts and sets it.
ALTER TABLE content.email_subscribers
    ADD COLUMN address_pepper_id text CHECK (length(address_pepper_id) BETWEEN 1 AND 32);

COMMENT ON COLUMN content.email_subscribers.address_pepper_id IS
    'Id of the report pepper address_hash was made with; NULL for rows hashed before it was recorded.';
