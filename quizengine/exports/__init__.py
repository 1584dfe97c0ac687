"""Reports written for people outside the app: readiness as JSON, CSV, Markdown and HTML."""
