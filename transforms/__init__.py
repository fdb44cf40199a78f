"""Pure text transforms: bytes and strings in, table rows out. No Prefect, no file I/O."""
