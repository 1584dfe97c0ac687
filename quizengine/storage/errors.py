class StorageError(Exception):
    """The database cannot be used as asked; the message says why and what to do."""
