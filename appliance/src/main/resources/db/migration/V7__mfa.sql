-- A TOTP secret being set up waits here until the person proves their app has it (a code); only then does it
-- replace totp_secret_cipher. Keeping it apart means starting a new set-up never disables a working
-- authenticator. Sealed like the active secret (AES-256-GCM bound to the user id).
alter table users add column totp_pending_secret_cipher bytea;
