"""Qt item models: thin adapters over the services' DTOs (no database calls in ``data()``)."""
