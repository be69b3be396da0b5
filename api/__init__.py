"""The Litestar application: JSON API, HTML pages, guards, error mapping and the command line."""
