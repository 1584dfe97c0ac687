"""The terminal UI: the only package that imports Textual. It talks to services, never to storage."""
