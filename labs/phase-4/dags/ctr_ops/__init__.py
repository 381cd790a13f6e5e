"""What phase 4's DAGs share: the one interface they use (the project's pipeline CLI) and their settings."""
