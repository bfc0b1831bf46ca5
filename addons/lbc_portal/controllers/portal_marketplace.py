# Portal controllers (portal_marketplace): filled by its issue work.
