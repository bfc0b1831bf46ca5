# Portal tests (test_portal_marketplace).
