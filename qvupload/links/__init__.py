"""AccessPoint links for QlikView documents that stay on a QlikView Server: settings, targets, runs."""
