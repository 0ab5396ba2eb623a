"""Reusable widgets: level badge, XP bar, toasts, time grid, empty states, delegates."""
