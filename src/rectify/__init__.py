"""rectify: event-sourced tracking of budget-performance evaluations and their rectification."""

__version__ = "0.1.0"
