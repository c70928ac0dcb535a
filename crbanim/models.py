"""No tables yet: this app is wired in and filled by its own issue."""
