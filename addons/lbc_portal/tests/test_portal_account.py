# Portal tests (test_portal_account).
