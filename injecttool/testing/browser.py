"""pytest plugin: Playwright on Debian's chromium. Filled by its issue."""
