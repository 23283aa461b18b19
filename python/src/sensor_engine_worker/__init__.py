"""Sensor Engine's Python poke worker: the poke activity of contract/poke-activity.md for flytekit sensors."""
