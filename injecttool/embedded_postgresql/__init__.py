"""Django's PostgreSQL backend for the embedded server: it says how to start a stopped one."""
