"""The life-phase intake and preconditions checklist: questions, order and replies."""
