"""Storage: the only package that imports SQLAlchemy and Alembic."""

from quizengine.storage.errors import StorageError
from quizengine.storage.store import Store

__all__ = ["StorageError", "Store"]
