"""Use cases: the domain plus storage behind small interfaces. No UI here."""
