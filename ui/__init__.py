"""Hafiza's Qt user interface: thin widgets over the engine and the lessons."""
