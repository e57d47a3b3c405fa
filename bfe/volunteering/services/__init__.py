"""Every change of volunteering data, one module per part: `records` (the shelter's record of a
person and its figures), `board` (opportunities, applications), `pipeline` (stages, notes,
messages, onboarding, clearances), `shifts`, `hours`, `self_service`, `imports`, `retention`."""
