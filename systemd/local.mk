# systemd/ — the service unit.
EXTRA_DIST += systemd/ocopd.service
