# connectors/tiktok.mk — the tiktok connector and its unit tests (being written).
