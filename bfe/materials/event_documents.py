"""Slides and handouts of events in the library: connected in MaterialsConfig.ready."""
