"""Read side: SQLAlchemy read models, their projectors, the catch-up runner, the seal, queries."""
