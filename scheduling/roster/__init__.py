"""The weekly roster: schema, rules, CP-SAT model, solve, validation and explanations."""
