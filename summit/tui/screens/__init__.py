"""The game's screens: start, briefing, table, decisions, hand-over, outcome, help."""
