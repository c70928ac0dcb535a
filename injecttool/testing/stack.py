"""pytest plugin: the `stack` fixture (nginx + uWSGI + daphne + worker + beat). Filled by its issue."""
