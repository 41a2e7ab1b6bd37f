"""Staff wellbeing: difficult-call logs, load, questionnaires, privacy rules (pure domain)."""
