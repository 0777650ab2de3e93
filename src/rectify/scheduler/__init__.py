"""APScheduler jobs (room reserved by the layering; jobs arrive with their issue)."""
