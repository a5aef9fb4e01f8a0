"""gaizao: the platform a district housing bureau uses to run an old-community renovation programme."""
