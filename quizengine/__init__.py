"""quizengine: terminal exam practice for ML and computer-vision certifications."""

__version__ = "0.1.0"
