# connectors/lazada.mk — the lazada connector and its unit tests (being written).
