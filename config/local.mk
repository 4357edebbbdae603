# config/ — the annotated example configuration.
dist_doc_DATA = config/ocopd.conf
