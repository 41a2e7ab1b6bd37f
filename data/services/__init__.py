"""User actions: one function for each thing a user does, opening and closing its own session
(one transaction) and returning domain objects. Pages call these and never hold a session."""
