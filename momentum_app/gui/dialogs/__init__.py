"""Editing dialogs. Each shows a ``ValidationError`` next to the field it names."""
