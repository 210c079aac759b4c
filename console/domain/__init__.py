"""Pure Python: statuses, the transition table, the SLA clock, the audit chain."""
