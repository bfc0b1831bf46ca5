# Portal controllers (portal_account): filled by its issue work.
