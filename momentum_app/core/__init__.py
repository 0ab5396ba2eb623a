"""Momentum's core: data model, rules and services. Nothing here may import Qt."""
